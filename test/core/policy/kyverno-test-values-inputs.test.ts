import { describe, expect, it } from 'vitest';
import { runKyvernoTest } from '../../../src/core/policy/run-kyverno-test.ts';

const POLICY = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: registries
  annotations:
    policies.kyverno.io/scored: "false"
spec:
  validationFailureAction: Audit
  rules:
  - name: allowed
    match: {any: [{resources: {kinds: [Pod]}}]}
    context:
    - name: registries
      configMap: {name: registries, namespace: platform}
    validate:
      message: "{{ element.image }} is not from an allowed registry"
      foreach:
      - list: request.object.spec.containers
        context:
        - name: verdict
          apiCall: {urlPath: "/apis/example/v1/verdicts"}
        deny:
          conditions:
            any:
            - key: "{{ verdict }}"
              operator: Equals
              value: bad
`;

const RESOURCES = `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: default}
spec:
  containers:
  - {name: a, image: ok.example.com/a:1}
  - {name: b, image: bad.example.com/b:1}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  template:
    spec:
      containers:
      - {name: a, image: ok.example.com/a:1}
`;

const VALUES = (verdicts: string[]) => `apiVersion: cli.kyverno.io/v1alpha1
kind: Values
policies:
- name: registries
  rules:
  - name: allowed
    values:
      registries.data.list: ok.example.com
    foreachValues:
      verdict: [${verdicts.join(', ')}]
`;

function run(verdicts: string[], results: unknown[]) {
  return runKyvernoTest({
    testPath: 'kyverno-test.yaml',
    test: { results },
    policyFiles: [{ path: 'policy.yaml', content: POLICY }],
    resourceFiles: [{ path: 'resources.yaml', content: RESOURCES }],
    valuesFile: { path: 'values.yaml', content: VALUES(verdicts) },
  });
}

describe('kyverno test values: foreachValues, values of auto-generated rules, unscored policies', () => {
  it('gives each foreach element its value from foreachValues, and reports failures of an unscored policy as warn', () => {
    const failing = run(
      ['good', 'bad'],
      [{ policy: 'registries', rule: 'allowed', resources: ['web'], kind: 'Pod', result: 'warn' }],
    );
    expect(failing.rows[0]).toMatchObject({ actual: 'warn', ok: true });
    expect(failing.rows[0]!.message).toContain('bad.example.com/b:1 is not from an allowed registry');
    const passing = run(
      ['good', 'good'],
      [{ policy: 'registries', rule: 'allowed', resources: ['web'], kind: 'Pod', result: 'pass' }],
    );
    expect(passing.rows[0]).toMatchObject({ actual: 'pass', ok: true });
  });

  it('applies a rule values to its auto-generated Pod-controller rule', () => {
    const report = run(
      ['good'],
      [{ policy: 'registries', rule: 'allowed', resources: ['web'], kind: 'Deployment', result: 'pass' }],
    );
    expect(report.rows[0]).toMatchObject({ actual: 'pass', evaluatedRule: 'autogen-allowed', ok: true });
  });

  it('without the mocks the cluster lookups make the row not checked, which fails', () => {
    const report = runKyvernoTest({
      testPath: 'kyverno-test.yaml',
      test: {
        results: [{ policy: 'registries', rule: 'allowed', resources: ['web'], kind: 'Pod', result: 'pass' }],
      },
      policyFiles: [{ path: 'policy.yaml', content: POLICY }],
      resourceFiles: [{ path: 'resources.yaml', content: RESOURCES }],
    });
    expect(report.rows[0]).toMatchObject({ actual: 'not checked', ok: false });
    expect(report.rows[0]!.message).toMatch(/needs a cluster: context entry registries uses configMap/);
  });
});
