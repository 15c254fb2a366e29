/**
 * Route analysis scaling: synthetic 1,000 and 10,000 HTTPRoutes on 50 Gateways. Prints analysis
 * CPU time for each size, the ratio t(10,000)/t(1,000) (goal ≤ 11) and the ratio to the floor,
 * js-yaml's parse of the same input in the same run (goal ≤ 1.0); exits 1 when a goal is missed.
 *
 *   npx tsx bench/routes.bench.ts          (node --expose-gc --import tsx bench/routes.bench.ts
 *                                           collects garbage between runs: steadier figures)
 */
import { loadAll } from 'js-yaml';
import { type Manifest, parseManifests } from '../src/core/manifests/parse-manifests.ts';
import { analyzeRoutes } from '../src/core/routes/analyze-routes.ts';

const GATEWAYS = 50;

function generate(routeCount: number): string {
  const docs: string[] = [];
  for (let g = 0; g < GATEWAYS; g++) {
    docs.push(`apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: gw-${g}
  namespace: infra
spec:
  gatewayClassName: nginx
  listeners:
  - name: http
    port: 80
    protocol: HTTP
    hostname: "*.zone${g}.example.com"
    allowedRoutes:
      namespaces:
        from: All
  - name: https
    port: 443
    protocol: HTTPS
    allowedRoutes:
      namespaces:
        from: All
    tls:
      certificateRefs:
      - name: cert-${g}`);
  }
  for (let r = 0; r < routeCount; r++) {
    // Every 100th route copies its neighbour's gateway, host and path: a duplicate-match to find.
    const base = r % 100 === 1 ? r - 1 : r;
    const g = base % GATEWAYS;
    const ns = `team-${r % 200}`;
    const host = `svc-${base}.zone${g}.example.com`;
    const path = `/api-${base}`;
    docs.push(`apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: route-${r}
  namespace: ${ns}
spec:
  parentRefs:
  - name: gw-${g}
    namespace: infra
  hostnames: ["${host}"]
  rules:
  - matches:
    - path: {type: PathPrefix, value: ${path}}
    backendRefs:
    - name: svc-${r}
      port: 80
  - matches:
    - path: {type: PathPrefix, value: ${path}}
      headers:
      - name: version
        value: v2
    - path: {type: Exact, value: ${path}/health}
      method: GET
    backendRefs:
    - name: svc-${r}
      port: 80
  - matches:
    - path: {type: RegularExpression, value: "${path}/item/[0-9]+"}
      queryParams:
      - name: beta
        value: "1"
    backendRefs:
    - name: svc-${r}
      port: 80
---
apiVersion: v1
kind: Service
metadata:
  name: svc-${r}
  namespace: ${ns}
spec:
  ports:
  - port: 80`);
  }
  return docs.join('\n---\n');
}

/**
 * CPU time of this process (user + system), in ms: unlike wall-clock time it does not count the
 * time other processes hold the CPU, so the ratios stay meaningful on a busy CI runner.
 */
function cpuNow(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** The fastest run: interference only ever adds time. */
function fastest(values: number[]): number {
  return Math.min(...values);
}

const collectGarbage = (globalThis as { gc?: () => void }).gc ?? (() => {});

/** YAML parsing dominates the run time, so it is measured once; the analysis `runs` times (fastest). */
function measure(
  routeCount: number,
  runs: number,
): { floorMs: number; parseMs: number; analyzeMs: number; findings: number } {
  const yaml = generate(routeCount);
  let t = cpuNow();
  loadAll(yaml);
  const floorMs = cpuNow() - t;
  t = cpuNow();
  const manifests: Manifest[] = parseManifests('bench.yaml', yaml, {
    maxFileBytes: 1 << 30,
    maxAliasCount: 100,
  }).manifests;
  const parseMs = cpuNow() - t;
  const analyzeTimes: number[] = [];
  let findings = 0;
  for (let i = 0; i < runs; i++) {
    collectGarbage();
    t = cpuNow();
    findings = analyzeRoutes(manifests).length;
    analyzeTimes.push(cpuNow() - t);
  }
  return { floorMs, parseMs, analyzeMs: fastest(analyzeTimes), findings };
}

measure(500, 3); // warm-up (JIT)
const small = measure(1_000, 9);
const large = measure(10_000, 5);
const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
for (const [n, m] of [
  [1_000, small],
  [10_000, large],
] as const) {
  process.stdout.write(
    `${n.toLocaleString('en')} HTTPRoutes / ${GATEWAYS} Gateways: analyse ${fmt(m.analyzeMs)} CPU, js-yaml floor ${fmt(m.floorMs)}, parseManifests ${fmt(m.parseMs)}, analyse ÷ floor ${(m.analyzeMs / m.floorMs).toFixed(2)}, ${m.findings} findings\n`,
  );
}
const scaling = large.analyzeMs / small.analyzeMs;
const ratio = large.analyzeMs / large.floorMs;
process.stdout.write(
  `scaling t(10,000)/t(1,000): analyse ${scaling.toFixed(1)} (goal ≤ 11: ${scaling <= 11 ? 'met' : 'MISSED'}), parse ${(large.parseMs / small.parseMs).toFixed(1)}\n` +
    `10,000 routes: analyse ÷ js-yaml floor ${ratio.toFixed(2)} (goal ≤ 1.0: ${ratio <= 1 ? 'met' : 'MISSED'})\n`,
);
process.exitCode = scaling <= 11 && ratio <= 1 ? 0 : 1;
