import { describe, expect, it } from 'vitest';
import { parseManifests } from '../../../../src/core/manifests/parse-manifests.ts';
import { loadCelPolicies } from '../../../../src/core/policy/cel-policies/load-cel-policy.ts';

const load = (yaml: string) => loadCelPolicies(parseManifests('policies/p.yaml', yaml).manifests);

describe('loadCelPolicies', () => {
  it('reads every served version and the namespaced kinds, with autogen only for Pod-only policies', () => {
    const { policies, findings } = load(`apiVersion: policies.kyverno.io/v1beta1
kind: ValidatingPolicy
metadata: {name: pods}
spec:
  matchConstraints: {resourceRules: [{apiGroups: [""], apiVersions: [v1], resources: [pods], operations: [CREATE]}]}
  validations: [{expression: "true"}]
---
apiVersion: policies.kyverno.io/v1
kind: NamespacedValidatingPolicy
metadata: {name: services, namespace: shop}
spec:
  matchConstraints: {resourceRules: [{apiGroups: [""], apiVersions: [v1], resources: [services], operations: [CREATE]}]}
  validations: [{expression: "true"}]
---
apiVersion: policies.kyverno.io/v1alpha1
kind: ValidatingPolicy
metadata: {name: deployments-only}
spec:
  autogen: {podControllers: {controllers: [deployments]}}
  matchConstraints: {resourceRules: [{apiGroups: [""], apiVersions: [v1], resources: [pods], operations: [CREATE]}]}
  validations: [{expression: "true"}]
`);
    expect(findings).toEqual([]);
    expect(policies.map((p) => [p.name, p.kind, p.namespace, p.autogenControllers.length])).toEqual([
      ['pods', 'ValidatingPolicy', undefined, 7],
      ['services', 'ValidatingPolicy', 'shop', 0],
      ['deployments-only', 'ValidatingPolicy', undefined, 1],
    ]);
  });

  it('names the file, line and expression of a CEL expression that does not compile', () => {
    const { policies, findings } = load(`apiVersion: policies.kyverno.io/v1
kind: ValidatingPolicy
metadata: {name: broken}
spec:
  matchConstraints: {resourceRules: [{apiGroups: [""], apiVersions: [v1], resources: [pods], operations: [CREATE]}]}
  validations: [{expression: "object.spec.containers.all(c, c.image.startsWith("}]
`);
    expect(policies).toHaveLength(1);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ blocking: true, location: { file: 'policies/p.yaml', line: 1 } });
    expect(findings[0]!.message).toMatch(
      /^policies\/p.yaml:1: ValidatingPolicy broken: spec.validations\[0\] does not compile/,
    );
  });
});
