import { describe, expect, it } from 'vitest';
import { parseManifests } from '../../../src/core/manifests/parse-manifests.ts';
import {
  type EvaluateOptions,
  evaluatePolicyOnResource,
  type ResourceUnderTest,
} from '../../../src/core/policy/evaluate-policies.ts';
import { kyvernoArithmetic } from '../../../src/core/policy/kyverno-arithmetic.ts';
import { loadPolicies } from '../../../src/core/policy/load-policies.ts';
import type { PolicyResult } from '../../../src/core/policy/policy-result.ts';

const COFFEE = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: coffee
  namespace: staging
  labels: {app: coffee}
spec:
  replicas: 1
  template:
    metadata: {labels: {app: coffee}}
    spec:
      containers:
      - name: coffee
        image: registry.example.com/coffee:2.0
        env:
        - {name: PINPOINT_AGENT_ID, value: coffee-staging}
`;

function run(
  policyYaml: string,
  extra: Partial<ResourceUnderTest> = {},
  options: EvaluateOptions = {},
): PolicyResult[] {
  const { policies, findings } = loadPolicies([{ path: 'p.yaml', content: policyYaml }]);
  expect(findings).toEqual([]);
  const manifest = parseManifests('r.yaml', COFFEE).manifests[0]!;
  return evaluatePolicyOnResource(policies[0]!, { manifest, ...extra }, options);
}

const header = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: replicas}
spec:
`;

const replicasRule = (name: string, min: number) => `  - name: ${name}
    match: {any: [{resources: {kinds: [Deployment]}}]}
    validate:
      pattern: {spec: {replicas: ">=${min}"}}
`;

describe('failure action overrides', () => {
  const policy = `${header}  validationFailureAction: Audit
  validationFailureActionOverrides:
  - action: Enforce
    namespaces: [prod*]
  - action: Enforce
    namespaceSelector: {matchLabels: {tier: critical}}
  rules:
${replicasRule('r', 2)}`;

  it('enforces in namespaces named by wildcard or selected by labels, audits elsewhere', () => {
    expect(run(policy)[0]).toMatchObject({ status: 'fail', failureAction: 'Audit' });
    const critical = { namespaces: { staging: { labels: { tier: 'critical' } } } };
    expect(run(policy, {}, critical)[0]).toMatchObject({ failureAction: 'Enforce' });
    const prod = parseManifests('r.yaml', COFFEE.replace('staging', 'production')).manifests[0]!;
    const { policies } = loadPolicies([{ path: 'p.yaml', content: policy }]);
    expect(evaluatePolicyOnResource(policies[0]!, { manifest: prod })[0]).toMatchObject({
      failureAction: 'Enforce',
    });
  });
});

describe('policy-wide settings', () => {
  it('applyRules One stops at the first rule that applies', () => {
    const policy = `${header}  applyRules: One
  rules:
${replicasRule('first', 1)}${replicasRule('second', 3)}`;
    expect(run(policy).map((r) => [r.rule, r.status])).toEqual([['first', 'pass']]);
  });

  it('webhookConfiguration.matchConditions (CEL) decide whether the policy runs at all', () => {
    const policy = (expression: string) => `${header}  webhookConfiguration:
    matchConditions:
    - name: not-staging
      expression: "${expression}"
  rules:
${replicasRule('r', 2)}`;
    expect(run(policy("object.metadata.namespace != 'staging'"))).toEqual([]);
    expect(run(policy("request.operation == 'CREATE'"))).toHaveLength(1);
  });
});

describe('values and operations', () => {
  const labelRule = `${header}  rules:
  - name: r
    match: {any: [{resources: {kinds: [Deployment]}}]}
    validate:
      pattern: {metadata: {labels: {team: "?*"}}}
`;

  it('values may patch request.object, and patterns see the patched object (the manifest is untouched)', () => {
    const extra = { values: { 'request.object.metadata.labels.team': 'cafe' } };
    expect(run(labelRule, extra)[0]).toMatchObject({ status: 'pass' });
    expect(run(labelRule)[0]).toMatchObject({ status: 'fail' });
  });

  it('rule values apply to their rule only', () => {
    const policy = `${header}  rules:
  - name: a
    match: {any: [{resources: {kinds: [Deployment]}}]}
    context: [{name: limit, variable: {value: 1}}]
    validate:
      deny: {conditions: {any: [{key: "{{ limit }}", operator: GreaterThan, value: 2}]}}
  - name: b
    match: {any: [{resources: {kinds: [Deployment]}}]}
    context: [{name: limit, variable: {value: 1}}]
    validate:
      deny: {conditions: {any: [{key: "{{ limit }}", operator: GreaterThan, value: 2}]}}
`;
    const results = run(policy, { ruleValues: { a: { limit: 5 } } });
    expect(results.map((r) => [r.rule, r.status])).toEqual([
      ['a', 'fail'],
      ['b', 'pass'],
    ]);
  });

  const celPolicy = (expression: string) => `${header}  rules:
  - name: r
    match: {any: [{resources: {kinds: [Deployment]}}]}
    validate:
      cel:
        expressions:
        - expression: "${expression}"
`;

  it('CEL on UPDATE sees oldObject (values can change it); on DELETE the rule gives no result', () => {
    const sameReplicas = celPolicy('object.spec.replicas == oldObject.spec.replicas');
    expect(run(sameReplicas, { operation: 'UPDATE' })[0]).toMatchObject({ status: 'pass' });
    const scaled = { values: { 'request.operation': 'UPDATE', 'request.oldObject.spec.replicas': 3 } };
    expect(run(sameReplicas, scaled)[0]).toMatchObject({ status: 'fail' });
    expect(run(celPolicy('oldObject == null'))[0]).toMatchObject({ status: 'pass' });
    expect(run(sameReplicas, { operation: 'DELETE' })).toEqual([]);
  });

  it('validate.cel.generate (a ValidatingAdmissionPolicy made in the cluster) is still evaluated offline', () => {
    const policy = celPolicy('object.spec.replicas >= 2').replace(
      '      cel:\n',
      '      cel:\n        generate: true\n',
    );
    expect(policy).toContain('generate: true');
    expect(run(policy)[0]).toMatchObject({ status: 'fail' });
  });

  it('CEL namespaceObject carries the labels known for the namespace', () => {
    const policy = celPolicy("namespaceObject.metadata.labels.?tier.orValue('') == 'critical'");
    expect(run(policy)[0]).toMatchObject({ status: 'fail' });
    const critical = { namespaces: { staging: { labels: { tier: 'critical' } } } };
    expect(run(policy, {}, critical)[0]).toMatchObject({ status: 'pass' });
  });

  it('CEL request.userInfo comes from the request info', () => {
    const policy = celPolicy("request.userInfo.username.startsWith('system:serviceaccount:')");
    expect(run(policy)[0]).toMatchObject({ status: 'fail' });
    const requestInfo = { userInfo: { username: 'system:serviceaccount:shop:deployer' } };
    expect(run(policy, {}, { requestInfo })[0]).toMatchObject({ status: 'pass' });
  });
});

describe('arithmetic (Kyverno arithmetic.go type rules)', () => {
  const calc = (op: Parameters<typeof kyvernoArithmetic>[0], a: unknown, b: unknown) => {
    try {
      return kyvernoArithmetic(op, a, b);
    } catch (error) {
      return `error: ${(error as Error).message}`;
    }
  };

  it('adds and subtracts operands of one type only', () => {
    expect(calc('add', '1Gi', '512Mi')).toBe('1536Mi');
    expect(calc('add', '10', '5')).toBe('15'); // numeric strings are quantities
    expect(calc('subtract', '2h', '30s')).toBe('1h59m30s');
    expect(calc('add', 1, '1Gi')).toMatch(/^error: add: types mismatch/);
    expect(calc('add', '1h', '30m')).toMatch(/^error/); // "30m" is a quantity (milli)
  });

  it('multiplies and divides quantities and durations by scalars; same types divide to a scalar', () => {
    expect(calc('multiply', '1Gi', 2)).toBe('2Gi');
    expect(calc('multiply', 2, '1h')).toBe('2h0m0s');
    expect(calc('multiply', '1Gi', '2')).toMatch(/^error/);
    expect(calc('divide', '1Gi', '512Mi')).toBe(2);
    expect(calc('divide', '3Gi', 2)).toBe('1536Mi');
    expect(calc('divide', '1h', 4)).toBe('15m0s');
    expect(calc('divide', 4, '1h')).toMatch(/^error/);
    expect(calc('divide', 4, 0)).toMatch(/division by zero/);
  });

  it('takes modulo of integers of one type', () => {
    expect(calc('modulo', '10', '3')).toBe('1');
    expect(calc('modulo', 7, 2)).toBe(1);
    expect(calc('modulo', 7.5, 2)).toMatch(/non-integer/);
  });
});
