import { describe, expect, it } from 'vitest';
import { parseManifests } from '../../../src/core/manifests/parse-manifests.ts';
import {
  type EvaluateOptions,
  evaluatePolicyOnResource,
  type ResourceUnderTest,
} from '../../../src/core/policy/evaluate-policies.ts';
import { loadPolicies } from '../../../src/core/policy/load-policies.ts';
import type { PolicyResult } from '../../../src/core/policy/policy-result.ts';

function policy(rules: string, spec = ''): string {
  return `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: cafe
  annotations:
    pod-policies.kyverno.io/autogen-controllers: none
spec:
${spec}  rules:
${rules}`;
}

const TEA_POD = `apiVersion: v1
kind: Pod
metadata:
  name: tea
  namespace: shop
  labels:
    app.kubernetes.io/name: tea
  annotations:
    cafe.example.com/menu: "green"
spec:
  containers:
  - name: tea
    image: registry.example.com/tea:1.2
    ports:
    - containerPort: 8080
  - name: pinpoint
    image: pinpoint/agent:latest
`;

function run(
  policyYaml: string,
  resourceYaml = TEA_POD,
  extra: Partial<ResourceUnderTest> = {},
  options: EvaluateOptions = {},
): PolicyResult[] {
  const { policies, findings } = loadPolicies([{ path: 'p.yaml', content: policyYaml }]);
  expect(findings).toEqual([]);
  const manifest = parseManifests('r.yaml', resourceYaml).manifests[0]!;
  return evaluatePolicyOnResource(policies[0]!, { manifest, ...extra }, options);
}

const statusOf = (results: PolicyResult[], rule = 'r') => results.find((r) => r.rule === rule)?.status;

describe('preconditions and deny conditions (Kyverno ≥ 1.7)', () => {
  it('an unresolvable variable in a precondition is an error, a || default is not', () => {
    const rules = (key: string) => `  - name: r
    match: {any: [{resources: {kinds: [Pod]}}]}
    preconditions:
      all:
      - key: "${key}"
        operator: Equals
        value: coffee
    validate:
      pattern: {metadata: {name: "?*"}}
`;
    const missing = run(policy(rules('{{ request.object.metadata.labels.team }}')));
    expect(missing[0]).toMatchObject({ status: 'error' });
    expect(missing[0]!.message).toContain('failed to evaluate preconditions');
    expect(statusOf(run(policy(rules("{{ request.object.metadata.labels.team || '' }}"))))).toBe('skip');
  });

  it('all and any together: both blocks must hold', () => {
    const rules = (anyValue: string) => `  - name: r
    match: {any: [{resources: {kinds: [Pod]}}]}
    preconditions:
      all:
      - {key: "{{ request.object.metadata.name }}", operator: Equals, value: tea}
      any:
      - {key: "{{ request.object.metadata.namespace }}", operator: Equals, value: ${anyValue}}
      - {key: "{{ request.operation }}", operator: Equals, value: DELETE}
    validate:
      deny: {conditions: {any: [{key: "{{ request.object.metadata.name }}", operator: Equals, value: tea}]}}
`;
    expect(statusOf(run(policy(rules('shop'))))).toBe('fail');
    expect(statusOf(run(policy(rules('bar'))))).toBe('skip');
  });

  it('quoted keys and escaped quotes in JMESPath reach labels and annotations with dots and slashes', () => {
    const rules = `  - name: r
    match: {any: [{resources: {kinds: [Pod]}}]}
    validate:
      deny:
        conditions:
          all:
          - key: "{{ request.object.metadata.labels.\\"app.kubernetes.io/name\\" }}"
            operator: Equals
            value: tea
          - key: '{{ request.object.metadata.annotations."cafe.example.com/menu" }}'
            operator: Equals
            value: green
`;
    expect(statusOf(run(policy(rules)))).toBe('fail');
  });

  it('Duration operators and quantity arithmetic in conditions', () => {
    const rules = `  - name: r
    match: {any: [{resources: {kinds: [Pod]}}]}
    validate:
      deny:
        conditions:
          all:
          - {key: "{{ add('90m', '30m') }}", operator: Equals, value: 120m}
          - {key: 1h30m, operator: DurationGreaterThan, value: 5399}
          - {key: "{{ divide('1Gi', '512Mi') }}", operator: Equals, value: 2}
          - {key: "{{ multiply('250m', \`4\`) }}", operator: Equals, value: "1"}
`;
    expect(statusOf(run(policy(rules)))).toBe('fail');
  });
});

describe('foreach', () => {
  it('deny with elementScope false checks the resource; messages name the element', () => {
    const rules = `  - name: r
    match: {any: [{resources: {kinds: [Pod]}}]}
    validate:
      message: "{{ element.name }} uses a floating tag"
      foreach:
      - list: request.object.spec.containers
        elementScope: false
        deny:
          conditions:
            any:
            - {key: "{{ element.image }}", operator: Equals, value: "*:latest"}
`;
    const [result] = run(policy(rules));
    expect(result).toMatchObject({ status: 'fail' });
    expect(result!.message).toMatch(/^pinpoint uses a floating tag/);
  });

  it('elementScope false checks patterns against the whole resource, true against the element', () => {
    const rules = (scope: boolean) => `  - name: r
    match: {any: [{resources: {kinds: [Pod]}}]}
    validate:
      foreach:
      - list: request.object.spec.containers
        elementScope: ${scope}
        pattern:
          metadata:
            name: tea
`;
    expect(statusOf(run(policy(rules(false))))).toBe('pass');
    expect(statusOf(run(policy(rules(true))))).toBe('fail');
  });

  it('elementScope true on elements that are not maps is an error', () => {
    const rules = `  - name: r
    match: {any: [{resources: {kinds: [Pod]}}]}
    validate:
      foreach:
      - list: "request.object.spec.containers[].name"
        elementScope: true
        pattern: {name: "*"}
`;
    expect(run(policy(rules))[0]).toMatchObject({ status: 'error' });
  });

  it('nested foreach sees element0 and element1; a null element is skipped', () => {
    const rules = `  - name: r
    match: {any: [{resources: {kinds: [Pod]}}]}
    validate:
      message: "{{ element0.name }} exposes {{ element1.containerPort }}"
      foreach:
      - list: request.object.spec.containers
        foreach:
        - list: element.ports
          deny:
            conditions:
              all:
              - {key: "{{ element1.containerPort }}", operator: GreaterThan, value: 1024}
              - {key: "{{ element0.name }}", operator: Equals, value: tea}
`;
    const [result] = run(policy(rules));
    expect(result).toMatchObject({ status: 'fail' });
    expect(result!.message).toMatch(/^tea exposes 8080/);
  });

  it('an error on an element other than the last is ignored, on the last it is the result', () => {
    const rules = (order: string) => `  - name: r
    match: {any: [{resources: {kinds: [Pod]}}]}
    validate:
      foreach:
      - list: "${order}"
        deny:
          conditions:
            any:
            - {key: "{{ element.ports[0].containerPort }}", operator: GreaterThan, value: 9000}
`;
    // pinpoint has no ports: resolving element.ports[0] fails for it
    expect(statusOf(run(policy(rules('request.object.spec.containers'))))).toBe('error');
    expect(statusOf(run(policy(rules('reverse(request.object.spec.containers)'))))).toBe('pass');
  });
});

describe('anyPattern and {{@}}', () => {
  it('words the failure as Kyverno: the rule message, then each failed pattern with its path', () => {
    const rules = `  - name: r
    match: {any: [{resources: {kinds: [Pod]}}]}
    validate:
      message: Containers need a pinned registry image
      anyPattern:
      - spec: {containers: [{image: "registry.example.com/*"}]}
      - metadata: {labels: {tier: backend}}
`;
    const [result] = run(policy(rules));
    expect(result).toMatchObject({ status: 'fail' });
    expect(result!.message).toBe(
      'validation error: Containers need a pinned registry image. rule r[0] failed at path /spec/containers/1/image/ rule r[1] failed at path /metadata/labels/tier/',
    );
  });

  it('{{@}} stands for the value at the same place in the resource', () => {
    const rules = (prefix: string) => `  - name: r
    match: {any: [{resources: {kinds: [Pod]}}]}
    validate:
      pattern:
        metadata:
          name: "${prefix}{{@}}"
`;
    expect(statusOf(run(policy(rules(''))))).toBe('pass');
    expect(statusOf(run(policy(rules('coffee-'))))).toBe('fail');
  });

  it('patterns give no result on DELETE, deny rules still run', () => {
    const rules = `  - name: r
    match: {any: [{resources: {kinds: [Pod]}}]}
    validate:
      pattern: {metadata: {labels: {team: "?*"}}}
  - name: d
    match: {any: [{resources: {kinds: [Pod], operations: [DELETE]}}]}
    validate:
      deny: {conditions: {any: [{key: "{{ request.object.metadata.name }}", operator: Equals, value: tea}]}}
`;
    const results = run(policy(rules), TEA_POD, { operation: 'DELETE' });
    expect(results.map((r) => [r.rule, r.status])).toEqual([['d', 'fail']]);
  });
});
