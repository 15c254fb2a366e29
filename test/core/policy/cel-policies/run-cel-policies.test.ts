import { describe, expect, it } from 'vitest';
import { type KyvernoTestInput, runKyvernoTest } from '../../../../src/core/policy/run-kyverno-test.ts';

const policies = `
apiVersion: policies.kyverno.io/v1
kind: ValidatingPolicy
metadata: {name: require-team}
spec:
  validationActions: [Deny]
  matchConstraints:
    resourceRules:
    - {apiGroups: [""], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [pods]}
  matchConditions:
  - name: not-system
    expression: "object.metadata.?namespace.orValue('') != 'kube-system'"
  variables:
  - name: team
    expression: "object.metadata.?labels.?team.orValue('')"
  validations:
  - expression: "variables.team != ''"
    messageExpression: "'pod ' + object.metadata.name + ' needs a team label'"
---
apiVersion: policies.kyverno.io/v1alpha1
kind: ValidatingPolicy
metadata: {name: allowed-registries}
spec:
  matchConstraints:
    resourceRules:
    - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}
  variables:
  - name: allowed
    expression: "resource.Get('v1', 'configmaps', 'platform', 'registries').data.list.split(',')"
  validations:
  - expression: "object.spec.containers.all(c, variables.allowed.exists(r, c.image.startsWith(r)))"
    message: image from an unknown registry
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: {name: max-replicas}
spec:
  paramKind: {apiVersion: v1, kind: ConfigMap}
  matchConstraints:
    resourceRules:
    - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [deployments]}
  validations:
  - expression: "object.spec.replicas <= int(params.data.max)"
    message: too many replicas
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: {name: max-replicas-binding}
spec:
  policyName: max-replicas
  validationActions: [Deny]
  paramRef: {name: replica-limits, namespace: default}
---
apiVersion: policies.kyverno.io/v1alpha1
kind: MutatingPolicy
metadata: {name: add-defaults}
spec:
  matchConstraints:
    resourceRules:
    - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}
  mutations:
  - patchType: ApplyConfiguration
    applyConfiguration:
      expression: >-
        Object{metadata: Object.metadata{labels: Object.metadata.labels{managed: "yes"}},
          spec: Object.spec{containers: object.spec.containers.map(c, Object.spec.containers{
            name: c.name, imagePullPolicy: "Always"})}}
  - patchType: JSONPatch
    jsonPatch:
      expression: >-
        [JSONPatch{op: "add", path: "/metadata/annotations", value: {"team/" + jsonpatch.escapeKey("a/b"): "x"}}]
---
apiVersion: policies.kyverno.io/v1alpha1
kind: GeneratingPolicy
metadata: {name: default-deny}
spec:
  matchConstraints:
    resourceRules:
    - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [namespaces]}
  generate:
  - expression: >-
      generator.Apply(object.metadata.name, [{"apiVersion": dyn("networking.k8s.io/v1"),
        "kind": dyn("NetworkPolicy"), "metadata": dyn({"name": "default-deny"}),
        "spec": dyn({"podSelector": dyn({})})}])
`;

const resources = `
apiVersion: v1
kind: Pod
metadata: {name: good, namespace: default, labels: {team: a}}
spec: {containers: [{name: app, image: registry.example.com/app:1}]}
---
apiVersion: v1
kind: Pod
metadata: {name: bad, namespace: default}
spec: {containers: [{name: app, image: docker.io/app:1}]}
---
apiVersion: v1
kind: Pod
metadata: {name: sys, namespace: kube-system}
spec: {containers: [{name: app, image: registry.example.com/app:1}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 5
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: app, image: registry.example.com/app:1}]}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly, namespace: default}
spec:
  jobTemplate:
    spec:
      template:
        metadata: {labels: {team: ops}}
        spec: {containers: [{name: job, image: registry.example.com/job:1}]}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: replica-limits, namespace: default}
data: {max: "3"}
---
apiVersion: v1
kind: Namespace
metadata: {name: shop}
`;

const context = `
apiVersion: cli.kyverno.io/v1alpha1
kind: Context
spec:
  resources:
  - apiVersion: v1
    kind: ConfigMap
    metadata: {name: registries, namespace: platform}
    data: {list: "registry.example.com/"}
`;

const patched = `
apiVersion: v1
kind: Pod
metadata:
  name: good
  namespace: default
  labels: {team: a, managed: "yes"}
  annotations: {team/a~1b: x}
spec: {containers: [{name: app, image: registry.example.com/app:1, imagePullPolicy: Always}]}
`;

const generated = `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: shop}
spec: {podSelector: {}}
`;

function input(results: unknown[], extra: Partial<KyvernoTestInput> = {}): KyvernoTestInput {
  return {
    testPath: 'kyverno-test.yaml',
    test: { results },
    policyFiles: [{ path: 'policies.yaml', content: policies }],
    resourceFiles: [{ path: 'resources.yaml', content: resources }],
    contextFile: { path: 'context.yaml', content: context },
    comparedFiles: [
      { path: 'patched.yaml', content: patched },
      { path: 'generated.yaml', content: generated },
    ],
    ...extra,
  };
}

const row = (policy: string, resource: string, result: string, more: Record<string, unknown> = {}) => ({
  policy,
  resources: [resource],
  result,
  isValidatingPolicy: true,
  ...more,
});

describe('CEL policy kinds in kyverno test', () => {
  it('evaluates a ValidatingPolicy: matchConditions, variables, messageExpression, autogen', () => {
    const report = runKyvernoTest(
      input([
        row('require-team', 'good', 'pass'),
        row('require-team', 'bad', 'fail'),
        row('require-team', 'sys', 'skip'),
        row('require-team', 'web', 'fail', { kind: 'Deployment' }),
        row('require-team', 'nightly', 'pass', { kind: 'CronJob' }),
      ]),
    );
    expect(report.rows.map((r) => [r.resource, r.actual, r.evaluatedRule])).toEqual([
      ['good', 'pass', 'require-team'],
      ['bad', 'fail', 'require-team'],
      ['sys', 'skip', 'require-team'],
      ['web', 'fail', 'autogen-require-team'],
      ['nightly', 'pass', 'autogen-cronjobs-require-team'],
    ]);
    expect(report.rows[1]!.message).toBe('pod bad needs a team label');
    expect(report.ok).toBe(true);
  });

  it('answers resource.Get from the context file, and reports it as not checkable without one', () => {
    const results = [row('allowed-registries', 'good', 'pass'), row('allowed-registries', 'bad', 'fail')];
    expect(runKyvernoTest(input(results)).rows.map((r) => r.actual)).toEqual(['pass', 'fail']);
    const { contextFile: _, ...withoutContext } = input(results);
    const offline = runKyvernoTest(withoutContext);
    expect(offline.rows.map((r) => r.actual)).toEqual(['not checked', 'not checked']);
    expect(offline.rows[0]!.message).toMatch(/needs a cluster: not checkable offline/);
    expect(offline.ok).toBe(false);
  });

  it('runs a ValidatingAdmissionPolicy through its binding with params from the files', () => {
    const report = runKyvernoTest(
      input([
        { policy: 'max-replicas', isValidatingAdmissionPolicy: true, resources: ['web'], result: 'fail' },
      ]),
    );
    expect(report.rows[0]).toMatchObject({ actual: 'fail', evaluatedRule: 'max-replicas-binding', ok: true });
    expect(report.rows[0]!.message).toBe('too many replicas');
  });

  it('mutates with a MutatingPolicy and compares the patched resource as data', () => {
    const ok = runKyvernoTest(
      input([
        {
          policy: 'add-defaults',
          isMutatingPolicy: true,
          resources: ['good'],
          result: 'pass',
          patchedResource: 'patched.yaml',
        },
      ]),
    );
    expect(ok.rows[0]).toMatchObject({ actual: 'pass', ok: true });
    // The same expectation for another Pod: the data differs, so the row fails and says where.
    const other = runKyvernoTest(
      input([
        {
          policy: 'add-defaults',
          isMUtatingPolicy: true,
          resources: ['bad'],
          result: 'pass',
          patchedResources: 'patched.yaml',
        },
      ]),
    );
    expect(other.rows[0]!.ok).toBe(false);
    expect(other.rows[0]!.message).toMatch(
      /patchedResource patched.yaml differs from the mutated object: at \/metadata\/labels\/team/,
    );
  });

  it('validates the mutated object (mutate, then validate)', () => {
    const report = runKyvernoTest(
      input([row('require-team', 'bad', 'fail')], {
        policyFiles: [
          { path: 'policies.yaml', content: policies },
          {
            path: 'label.yaml',
            content: `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: label-team}
spec:
  rules:
  - name: add-team
    match: {any: [{resources: {kinds: [Pod]}}]}
    mutate:
      patchStrategicMerge:
        metadata: {labels: {+(team): platform}}
`,
          },
        ],
      }),
    );
    expect(report.rows[0]).toMatchObject({ actual: 'pass', ok: false });
  });

  it('generates with a GeneratingPolicy and compares the generated resource', () => {
    const report = runKyvernoTest(
      input([
        {
          policy: 'default-deny',
          isGeneratingPolicy: true,
          resources: ['shop'],
          result: 'pass',
          generatedResource: 'generated.yaml',
        },
      ]),
    );
    expect(report.rows[0]).toMatchObject({ actual: 'pass', ok: true });
  });

  it('fails rows of kinds it cannot evaluate, with the reason, in every mode', () => {
    const report = runKyvernoTest(
      input([{ policy: 'verify', isImageValidatingPolicy: true, resources: ['good'], result: 'pass' }]),
    );
    expect(report.rows[0]).toMatchObject({ actual: 'not checked', ok: false });
    expect(report.rows[0]!.message).toMatch(/ImageValidatingPolicy/);
    expect(report.ok).toBe(false);
  });
});
