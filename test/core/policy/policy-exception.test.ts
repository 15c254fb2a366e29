import { describe, expect, it } from 'vitest';
import { runKyvernoTest } from '../../../src/core/policy/run-kyverno-test.ts';

const POLICIES = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: no-host-network}
spec:
  validationFailureAction: Enforce
  rules:
  - name: host-network
    match: {any: [{resources: {kinds: [Pod]}}]}
    validate:
      message: hostNetwork is not allowed
      pattern: {spec: {=(hostNetwork): false}}
---
apiVersion: policies.kyverno.io/v1alpha1
kind: ValidatingPolicy
metadata: {name: no-host-pid}
spec:
  validationActions: [Deny]
  matchConstraints:
    resourceRules:
    - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}
  validations:
  - expression: "!object.spec.?hostPID.orValue(false)"
`;

const EXCEPTIONS = `apiVersion: kyverno.io/v2
kind: PolicyException
metadata: {name: agents, namespace: kyverno}
spec:
  exceptions:
  - policyName: no-host-network
    ruleNames: [host-*]
  match:
    any:
    - resources: {kinds: [Pod], namespaces: [monitoring]}
---
apiVersion: policies.kyverno.io/v1alpha1
kind: PolicyException
metadata: {name: pid-agents, namespace: kyverno}
spec:
  policyRefs: [{name: no-host-pid, kind: ValidatingPolicy}]
  matchConditions:
  - name: monitoring
    expression: "object.metadata.namespace == 'monitoring'"
`;

const pod = (name: string, ns: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ${ns}}
spec: {hostNetwork: true, hostPID: true, containers: [{name: a, image: a:1}]}
`;

describe('PolicyExceptions in kyverno test', () => {
  it('skips an excepted rule or CEL policy on the resources the exception selects, and only there', () => {
    const report = runKyvernoTest({
      testPath: 'kyverno-test.yaml',
      test: {
        results: [
          { policy: 'no-host-network', rule: 'host-network', resources: ['agent'], result: 'skip' },
          { policy: 'no-host-network', rule: 'host-network', resources: ['web'], result: 'fail' },
          { policy: 'no-host-pid', isValidatingPolicy: true, resources: ['agent'], result: 'skip' },
          { policy: 'no-host-pid', isValidatingPolicy: true, resources: ['web'], result: 'fail' },
        ],
      },
      policyFiles: [{ path: 'policies.yaml', content: POLICIES }],
      resourceFiles: [
        { path: 'pods.yaml', content: `${pod('agent', 'monitoring')}---\n${pod('web', 'shop')}` },
      ],
      exceptionFiles: [{ path: 'exceptions.yaml', content: EXCEPTIONS }],
    });
    expect(report.rows.map((r) => [r.resource, r.actual])).toEqual([
      ['agent', 'skip'],
      ['web', 'fail'],
      ['agent', 'skip'],
      ['web', 'fail'],
    ]);
    expect(report.rows[0]!.message).toBe('rule skipped due to policy exception kyverno/agents');
    expect(report.rows[2]!.message).toBe('policy skipped due to policy exception kyverno/pid-agents');
    expect(report.ok).toBe(true);
  });
});
