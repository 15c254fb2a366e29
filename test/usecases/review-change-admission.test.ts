import { describe, expect, it } from 'vitest';
import { renderAllEnvironments } from '../../src/adapters/render/render-environment.ts';
import { formatComment } from '../../src/core/report/format-comment.ts';
import { reviewChange } from '../../src/usecases/review-change.ts';
import { changedBetween, memoryTree } from '../support/memory-tree.ts';

const CONFIG = `environments:
  - name: production
    path: envs/production
policies: [policies]
`;

const MUTATING = `apiVersion: policies.kyverno.io/v1alpha1
kind: MutatingPolicy
metadata: {name: default-pull-policy}
spec:
  matchConstraints:
    resourceRules:
    - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [deployments]}
  mutations:
  - patchType: ApplyConfiguration
    applyConfiguration:
      expression: >-
        Object{spec: Object.spec{template: Object.spec.template{spec: Object.spec.template.spec{
          containers: object.spec.template.spec.containers.map(c, Object.spec.template.spec.containers{
            name: c.name, imagePullPolicy: "Always"})}}}}
`;

const LABELS = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: add-team-label}
spec:
  rules:
  - name: team
    match: {any: [{resources: {kinds: [Deployment]}}]}
    mutate:
      patchStrategicMerge:
        metadata: {labels: {+(team): platform}}
`;

const VALIDATING = `apiVersion: policies.kyverno.io/v1
kind: ValidatingPolicy
metadata: {name: require-team}
spec:
  validationActions: [Deny]
  matchConstraints:
    resourceRules:
    - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [deployments]}
  validations:
  - expression: "has(object.metadata.labels) && 'team' in object.metadata.labels"
    message: a team label is required
  - expression: "object.spec.template.spec.containers.all(c, c.imagePullPolicy == 'Always')"
    message: imagePullPolicy must be Always
`;

const GENERATING = `apiVersion: policies.kyverno.io/v1alpha1
kind: GeneratingPolicy
metadata: {name: default-pdb}
spec:
  matchConstraints:
    resourceRules:
    - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}
  generate:
  - expression: >-
      generator.Apply(object.metadata.namespace, [{"apiVersion": dyn("policy/v1"),
        "kind": dyn("PodDisruptionBudget"), "metadata": dyn({"name": object.metadata.name + "-pdb"}),
        "spec": dyn({"minAvailable": dyn(1)})}])
`;

const deployment = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: cafe
spec:
  template:
    spec:
      containers:
        - name: ${name}
          image: ${name}:1.0
`;

async function review(policies: Record<string, string>) {
  const base = { '.tollgate.yml': CONFIG, ...policies };
  const head = { ...base, 'envs/production/tea.yaml': deployment('tea') };
  return reviewChange({
    target: { baseSha: 'b'.repeat(40), headSha: 'h'.repeat(40), baseRef: 'main', headRef: 'feature' },
    base: memoryTree('b'.repeat(40), base),
    head: memoryTree('h'.repeat(40), head),
    changedFiles: changedBetween(base, head),
    render: renderAllEnvironments,
  });
}

describe('reviewChange with mutating, validating and generating policies', () => {
  it('shows the object as the cluster stores it, marks the mutations, and validates the mutated object', async () => {
    const report = await review({
      'policies/pull.yaml': MUTATING,
      'policies/labels.yaml': LABELS,
      'policies/require.yaml': VALIDATING,
      'policies/pdb.yaml': GENERATING,
    });
    expect(report.findings.filter((f) => f.check === 'policy')).toEqual([]);
    expect(report.verdict).toBe('pass');
    const production = report.diff!.environments[0]!;
    const tea = production.resources.find((r) => r.id === 'Deployment/cafe/tea')!;
    expect(tea.mutatedBy).toEqual([
      { policy: 'add-team-label', fields: ['metadata.labels'] },
      { policy: 'default-pull-policy', fields: ['spec.template.spec.containers[name=tea].imagePullPolicy'] },
    ]);
    expect(tea.unifiedDiff).toContain('+    team: platform');
    expect(tea.unifiedDiff).toContain('imagePullPolicy: Always');
    expect(production.generated).toEqual([
      { id: 'PodDisruptionBudget/cafe/tea-pdb', policy: 'default-pdb', trigger: 'Deployment/cafe/tea' },
    ]);
    const comment = formatComment(report);
    expect(comment).toContain('mutated by policy `add-team-label`: fields `metadata.labels`');
    expect(comment).toContain(
      '`PodDisruptionBudget/cafe/tea-pdb`, by policy `default-pdb` for `Deployment/cafe/tea`',
    );
  });

  it('without the mutating policies the same object fails the ValidatingPolicy and blocks', async () => {
    const report = await review({ 'policies/require.yaml': VALIDATING });
    const policy = report.findings.filter((f) => f.check === 'policy');
    expect(policy.map((f) => [f.rule, f.blocking, f.message])).toEqual([
      ['require-team/require-team', true, 'a team label is required'],
    ]);
    expect(report.verdict).toBe('fail');
    expect(report.diff!.environments[0]!.resources[0]!.mutatedBy).toBeUndefined();
  });
});
