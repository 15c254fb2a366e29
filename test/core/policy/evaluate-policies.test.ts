import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseManifests } from '../../../src/core/manifests/parse-manifests.ts';
import { evaluatePolicies } from '../../../src/core/policy/evaluate-policies.ts';
import { loadPolicies } from '../../../src/core/policy/load-policies.ts';
import { policyResultsToFindings } from '../../../src/core/policy/policy-results-to-findings.ts';

const fixture = (name: string) => ({
  path: `test/fixtures/policy/${name}`,
  content: readFileSync(new URL(`../../fixtures/policy/${name}`, import.meta.url), 'utf8'),
});

describe('loadPolicies', () => {
  it('loads valid policies and reports an invalid one with file, line and key', () => {
    const { policies, findings } = loadPolicies([fixture('policies.yaml')]);
    // the invalid rule is dropped; the policy's other rules (none here) and other policies still run
    expect(policies.map((p) => [p.name, p.rules.length])).toEqual([
      ['require-team-label', 6],
      ['audit-only-staging', 1],
      ['broken', 0],
    ]);
    expect(policies[0]!.rules.map((r) => r.name)).toContain('autogen-team-label');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      check: 'policy',
      rule: 'invalid-policy',
      location: { file: 'test/fixtures/policy/policies.yaml', line: 63 },
    });
    expect(findings[0]!.message).toContain('spec.rules[0].match');
  });
});

describe('loadPolicies on a typo in validate', () => {
  it('names the unknown key at its line with the key it meant', () => {
    const content = [
      'apiVersion: kyverno.io/v1',
      'kind: ClusterPolicy',
      'metadata:',
      '  name: require-team',
      'spec:',
      '  rules:',
      '    - name: team',
      '      match: {any: [{resources: {kinds: [Pod]}}]}',
      '      validate:',
      '        message: needs a team label',
      '        patern:',
      '          metadata: {labels: {team: "?*"}}',
      '',
    ].join('\n');
    const { findings } = loadPolicies([{ path: 'policies/team.yaml', content }]);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      rule: 'invalid-policy',
      location: { file: 'policies/team.yaml', line: 11 },
    });
    expect(findings[0]!.message).toBe(
      'policies/team.yaml:11: `spec.rules[0].validate.patern` is an unknown key (did you mean `pattern`?)',
    );
  });
});

describe('evaluatePolicies', () => {
  const { policies } = loadPolicies([fixture('policies.yaml')]);
  const { manifests } = parseManifests('deploy/workloads.yaml', fixture('workloads.yaml').content);

  it('evaluates autogen rules on controllers with the failing field line', () => {
    const results = evaluatePolicies(policies, manifests, { environment: 'production' });
    const privileged = results.find((r) => r.rule === 'autogen-no-privileged');
    expect(privileged).toMatchObject({ status: 'fail', autogenOf: 'no-privileged', line: 19 });
    const label = results.find((r) => r.rule === 'team-label' && r.resource.name === 'tea');
    expect(label).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('Pod tea needs a team label'),
    });
    expect(results.some((r) => r.policy === 'audit-only-staging')).toBe(false);
  });

  it('runs environment-limited policies in their environment and converts results to findings', () => {
    const results = evaluatePolicies(policies, manifests, { environment: 'staging' });
    const findings = policyResultsToFindings(results);
    const audit = findings.find((f) => f.rule === 'audit-only-staging/memory-limit');
    expect(audit).toMatchObject({ severity: 'warning', blocking: false, environment: 'staging' });
    const enforced = findings.find((f) => f.rule === 'require-team-label/no-privileged');
    expect(enforced).toMatchObject({ severity: 'error', blocking: true, location: { line: 19 } });
    expect(
      findings
        .filter((f) => f.blocking)
        .map((f) => f.rule)
        .sort(),
    ).toEqual(['require-team-label/no-privileged', 'require-team-label/team-label']);
  });
});

describe('foreach failure messages', () => {
  it('name the failing element, as Kyverno substitutes element variables in the rule message', () => {
    const policy = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: pinned}
spec:
  validationFailureAction: Enforce
  rules:
    - name: pinned-images
      match: {any: [{resources: {kinds: [Pod]}}]}
      validate:
        message: "container {{ element.name }} (#{{ elementIndex }}) uses {{ element.image }}"
        foreach:
          - list: request.object.spec.containers
            deny:
              conditions:
                any:
                  - {key: "{{ element.image }}", operator: Equals, value: "*:latest"}
`;
    const pod = `apiVersion: v1
kind: Pod
metadata: {name: tea, namespace: cafe}
spec:
  containers:
    - {name: ok, image: "tea:1.0"}
    - {name: sidecar, image: "proxy:latest"}
`;
    const { policies } = loadPolicies([{ path: 'p.yaml', content: policy }]);
    const [result] = evaluatePolicies(policies, parseManifests('pod.yaml', pod).manifests);
    expect(result).toMatchObject({ status: 'fail' });
    expect(result!.message).toMatch(/^container sidecar \(#1\) uses proxy:latest/);
  });
});

describe('foreach failure locations', () => {
  it('point at the failing element even when the list is a JMESPath projection', () => {
    const policy = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: pinned}
spec:
  validationFailureAction: Enforce
  rules:
    - name: pinned-images
      match: {any: [{resources: {kinds: [Pod]}}]}
      validate:
        message: "container {{ element.name }} is not pinned"
        foreach:
          - list: "request.object.spec.[initContainers, containers][]"
            deny:
              conditions:
                any:
                  - {key: "{{ element.image }}", operator: Equals, value: "*:latest"}
`;
    const pod = `apiVersion: v1
kind: Pod
metadata: {name: tea, namespace: cafe}
spec:
  initContainers:
    - {name: init, image: "busybox:1.36"}
  containers:
    - {name: ok, image: "tea:1.0"}
    - {name: sidecar, image: "proxy:latest"}
`;
    const { policies } = loadPolicies([{ path: 'p.yaml', content: policy }]);
    const [result] = evaluatePolicies(policies, parseManifests('pod.yaml', pod).manifests);
    expect(result).toMatchObject({ status: 'fail', file: 'pod.yaml', line: 9 });
    expect(result!.message).toMatch(/^container sidecar is not pinned/);
  });
});
