import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Manifest, parseManifests } from '../../../src/core/manifests/parse-manifests.ts';
import { analyzeRoutes } from '../../../src/core/routes/analyze-routes.ts';
import type { RouteFinding } from '../../../src/core/routes/route-finding.ts';

/** Parses YAML documents (joined with `---`) as one file, `routes.yaml`. */
export function manifestsOf(...docs: string[]): Manifest[] {
  const result = parseManifests('routes.yaml', docs.join('\n---\n'));
  if (result.findings.length > 0) throw new Error(result.findings.map((f) => f.message).join('\n'));
  return result.manifests;
}

export function analyzeYaml(...docs: string[]): RouteFinding[] {
  return analyzeRoutes(manifestsOf(...docs));
}

/** `type: objects` lines, sorted: easy to compare as a set. */
export function summarize(findings: readonly RouteFinding[]): string[] {
  return findings.map((f) => `${f.type}: ${f.objects.join(' ')}`).sort();
}

export function loadFixture(name: string): Manifest[] {
  const dir = fileURLToPath(new URL(`../../fixtures/routes/${name}`, import.meta.url));
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((f) => parseManifests(`${name}/${f}`, readFileSync(join(dir, f), 'utf8')).manifests);
}

export function gateway(name: string, namespace: string, listeners: string): string {
  return `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  gatewayClassName: nginx
  listeners:
${listeners}`;
}

export function listener(name: string, port: number, protocol: string, extra = ''): string {
  return `  - name: ${name}
    port: ${port}
    protocol: ${protocol}
${extra}`;
}

export const ALL_NAMESPACES = `    allowedRoutes:
      namespaces:
        from: All
`;

export function service(name: string, namespace: string, ports = '  - port: 80'): string {
  return `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  ports:
${ports}`;
}

export interface RouteSpec {
  kind?: string;
  name: string;
  namespace: string;
  parentRefs: string;
  hostnames?: string[];
  rules: string;
}

export function route(r: RouteSpec): string {
  const hostnames = r.hostnames
    ? `  hostnames: [${r.hostnames.map((h) => JSON.stringify(h)).join(', ')}]\n`
    : '';
  return `apiVersion: gateway.networking.k8s.io/v1
kind: ${r.kind ?? 'HTTPRoute'}
metadata:
  name: ${r.name}
  namespace: ${r.namespace}
spec:
  parentRefs:
${r.parentRefs}
${hostnames}  rules:
${r.rules}`;
}

export function prefixRule(path: string, backend = 'coffee', extra = ''): string {
  return `  - matches:
    - path: {type: PathPrefix, value: ${path}}
${extra}    backendRefs:
    - name: ${backend}
      port: 80
`;
}
