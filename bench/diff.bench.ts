/**
 * Diff of two renders of 5,000 synthetic resources (~10% changed), and drift between three
 * environments of that size, reported as ratios to the time of parsing the same YAML with
 * parseManifests (both renders). Run: npx tsx bench/diff.bench.ts
 */
import { diffManifests } from '../src/core/diff/diff-manifests.ts';
import { findEnvironmentDrift } from '../src/core/diff/find-environment-drift.ts';
import { parseManifests } from '../src/core/manifests/parse-manifests.ts';

const COUNT = 5_000;

function deployment(i: number, changed: boolean): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
  namespace: ns-${i % 20}
  labels: {app: app-${i}, tier: web}
spec:
  replicas: ${changed ? 3 : 2}
  selector:
    matchLabels: {app: app-${i}}
  template:
    metadata:
      labels: {app: app-${i}}
    spec:
      containers:
        - name: app
          image: registry.example.com/app-${i}:${changed ? '1.1' : '1.0'}
          ports: [{containerPort: 8080}]
          env:
            - {name: LOG_LEVEL, value: info}
            - {name: PINPOINT_AGENT_ID, value: app-${i}}
          resources:
            limits: {memory: 256Mi}
`;
}

function render(changedEvery: number): string {
  return Array.from({ length: COUNT }, (_, i) =>
    deployment(i, changedEvery > 0 && i % changedEvery === 0),
  ).join('---\n');
}

const baseYaml = render(0);
const headYaml = render(10);
const limits = { maxFileBytes: 1 << 30, maxAliasCount: 100 };

function time<T>(fn: () => T, runs = 3): { ms: number; value: T } {
  let best = Number.POSITIVE_INFINITY;
  let value!: T;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    value = fn();
    best = Math.min(best, performance.now() - start);
  }
  return { ms: best, value };
}

const parse = time(
  () =>
    [
      parseManifests('base.yaml', baseYaml, limits).manifests,
      parseManifests('head.yaml', headYaml, limits).manifests,
    ] as const,
  1,
);
const [base, head] = parse.value;
const diff = time(() => diffManifests(base, head, 'bench'));
console.log(`resources: ${base.length} → ${head.length}; changed: ${diff.value.counts.changed}`);
console.log(`parse both renders: ${parse.ms.toFixed(0)} ms`);
console.log(`diff: ${diff.ms.toFixed(0)} ms`);
console.log(`diff/parse ratio: ${(diff.ms / parse.ms).toFixed(3)}`);

const drift = time(() =>
  findEnvironmentDrift([
    { environment: 'dev', manifests: base },
    { environment: 'staging', manifests: head },
    { environment: 'production', manifests: base.slice(0, COUNT - 100) },
  ]),
);
console.log(
  `drift (3 environments): ${drift.ms.toFixed(0)} ms; missing: ${drift.value.missing.length}, differing: ${drift.value.differences.length}`,
);
console.log(`drift/parse ratio: ${(drift.ms / parse.ms).toFixed(3)}`);
