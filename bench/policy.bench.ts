/**
 * Policy evaluation benchmark: 5,000 synthetic rendered resources × ~100 policies (the shipped
 * ones plus the Kyverno corpus ones from ../shared/corpus/kyverno when present, else the shipped
 * ones replicated). Prints evaluation time as a ratio of the floor, js-yaml's parse of the same
 * YAML in the same run, and exits 1 when it is over 1.0 (issue 14's goal).
 *
 *   npx tsx bench/policy.bench.ts [corpus-dir]
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { loadAll } from 'js-yaml';
import { parseManifests } from '../src/core/manifests/parse-manifests.ts';
import { evaluatePolicies } from '../src/core/policy/evaluate-policies.ts';
import { loadPolicies, type PolicyFile } from '../src/core/policy/load-policies.ts';

const RESOURCES = 5_000;
const TARGET_POLICIES = 100;

function policyFiles(dir: string, maxDepth = 4): string[] {
  if (!existsSync(dir) || maxDepth < 0) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name.startsWith('.')) continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...policyFiles(full, maxDepth - 1));
    else if (/\.ya?ml$/.test(name)) out.push(full);
  }
  return out;
}

function syntheticYaml(n: number): string {
  const docs: string[] = [];
  for (let i = 0; i < n; i++) {
    const env = i % 3 === 0 ? 'production' : i % 3 === 1 ? 'staging' : 'dev';
    const app = `svc-${i}`;
    switch (i % 5) {
      case 0:
      case 1:
        docs.push(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${app}
  namespace: ${env}
  labels: {app: ${app}, team: team-${i % 7}}
spec:
  replicas: ${i % 4}
  selector: {matchLabels: {app: ${app}}}
  template:
    metadata:
      labels: {app: ${app}}
      annotations: {prometheus.io/scrape: "true"}
    spec:
      securityContext: {runAsNonRoot: true}
      containers:
        - name: app
          image: registry.example.com/${app}:${i % 9 === 0 ? 'latest' : `1.${i % 10}.0`}
          ports: [{containerPort: 8080, name: http}]
          env:
            - {name: JAVA_OPTS, value: -Xmx512m}
            ${i % 2 ? `- {name: PINPOINT_AGENT_ID, value: ${app}}` : ''}
          resources:
            requests: {cpu: 100m, memory: 128Mi}
            limits: {memory: ${i % 6 === 0 ? '2Gi' : '256Mi'}}
          readinessProbe: {httpGet: {path: /ready, port: 8080}}
          ${i % 4 ? 'livenessProbe: {httpGet: {path: /live, port: 8080}}' : ''}
          securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
`);
        break;
      case 2:
        docs.push(`apiVersion: v1
kind: Service
metadata:
  name: ${app}
  namespace: ${env}
spec:
  selector: {app: ${app}}
  ports: [{port: 80, targetPort: 8080}]
`);
        break;
      case 3:
        docs.push(`apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: ${app}
  namespace: ${env}
spec:
  parentRefs: [{name: gateway, namespace: nginx-gateway}]
  hostnames: [${app}.coffee.example.com]
  rules:
    - matches: [{path: {type: PathPrefix, value: /${app}}}]
      backendRefs: [{name: ${app}, port: 80}]
`);
        break;
      default:
        docs.push(`apiVersion: v1
kind: ConfigMap
metadata:
  name: ${app}
  namespace: ${env}
data:
  application.yaml: |
    server.port: 8080
`);
    }
  }
  return docs.join('---\n');
}

function time<T>(fn: () => T): [T, number] {
  const start = process.hrtime.bigint();
  const value = fn();
  return [value, Number(process.hrtime.bigint() - start) / 1e6];
}

const root = path.resolve(import.meta.dirname, '..');
const corpus = path.resolve(
  process.argv[2] ??
    [path.join(root, '../shared/corpus/kyverno'), path.join(root, '../../shared/corpus/kyverno')].find(
      existsSync,
    ) ??
    '',
);
const shipped: PolicyFile[] = policyFiles(path.join(root, 'policies')).map((p) => ({
  path: p,
  content: readFileSync(p, 'utf8'),
}));
const corpusFiles: PolicyFile[] = policyFiles(corpus)
  .filter((p) => path.basename(p, path.extname(p)) === path.basename(path.dirname(p)))
  .map((p) => ({ path: p, content: readFileSync(p, 'utf8') }));
let { policies } = loadPolicies([...shipped, ...corpusFiles]);
for (let copy = 1; policies.length < TARGET_POLICIES; copy++) {
  const more = loadPolicies(shipped).policies.map((p) => ({ ...p, name: `${p.name}-copy${copy}` }));
  policies = [...policies, ...more];
}
policies = policies.slice(0, TARGET_POLICIES);
const rules = policies.reduce((n, p) => n + p.rules.length, 0);

const yaml = syntheticYaml(RESOURCES);
// warm-up (JIT, regex and JMESPath caches) on a slice, then measure
evaluatePolicies(policies, parseManifests('warm.yaml', syntheticYaml(200)).manifests);
loadAll(syntheticYaml(200));
const [, floorMs] = time(() => loadAll(yaml));
const [parsed, parseMs] = time(() => parseManifests('rendered.yaml', yaml));
const [results, evalMs] = time(() =>
  evaluatePolicies(policies, parsed.manifests, { environment: 'production' }),
);

const counts: Record<string, number> = {};
for (const r of results) counts[r.status] = (counts[r.status] ?? 0) + 1;
console.log(
  `policy bench: ${parsed.manifests.length} resources x ${policies.length} policies (${rules} rules incl. autogen; corpus ${corpusFiles.length ? 'loaded' : 'absent'})`,
);
console.log(`  js-yaml floor   ${floorMs.toFixed(0)} ms`);
console.log(`  parseManifests  ${parseMs.toFixed(0)} ms`);
console.log(
  `  evaluate        ${evalMs.toFixed(0)} ms  (${Math.round(parsed.manifests.length / (evalMs / 1000))} resources/s)`,
);
console.log(`  results         ${results.length} ${JSON.stringify(counts)}`);
const ratio = evalMs / floorMs;
console.log(`  evaluate ÷ js-yaml floor ${ratio.toFixed(2)} (goal ≤ 1.0: ${ratio <= 1 ? 'met' : 'MISSED'})`);
process.exitCode = ratio <= 1 ? 0 : 1;
