/**
 * The divergences from kustomize found in issue 15, one test each. The values are what `kubectl
 * kustomize` (v5.5.0) gives; the same kustomizations are corpus cases of the differential suite
 * (named in each test), which CI checks against the live kubectl on every run.
 */
import { describe, expect, it } from 'vitest';
import { renderKustomization } from '../../../src/core/render/render-kustomization.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests read deep fields of rendered objects
type O = Record<string, any>;
const build = (files: Record<string, string>, dir = '') => {
  const out = renderKustomization(new Map(Object.entries(files)), dir);
  const objects = new Map(out.manifests.map((m) => [`${m.identity.kind}/${m.identity.name}`, m.object as O]));
  return { ...out, objects };
};
const deployment = (name: string, extra = '') =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  replicas: 1\n  template:\n    spec:\n      containers:\n      - name: app\n        image: nginx\n${extra}`;

describe('kustomize 5 divergences (issue 15)', () => {
  it('hashes generated names as kustomize 5 does, references included (gen-*)', () => {
    const { objects, findings } = build({
      'kustomization.yaml':
        'resources: [d.yaml]\nconfigMapGenerator:\n- name: cfg\n  literals: [A=1]\n- name: empty\nsecretGenerator:\n- name: creds\n  literals:\n  - key=' +
        'abcdefghij'.repeat(20) +
        '\n',
      'd.yaml': deployment('web', '        envFrom:\n        - configMapRef: {name: cfg}\n'),
    });
    expect(findings).toEqual([]);
    expect([...objects.keys()].sort()).toEqual([
      'ConfigMap/cfg-89g4tffbfk',
      'ConfigMap/empty-6ct58987ht',
      'Deployment/web',
      'Secret/creds-7mf65kt6hh',
    ]);
    expect(objects.get('Deployment/web')!.spec.template.spec.containers[0].envFrom[0].configMapRef.name).toBe(
      'cfg-89g4tffbfk',
    );
    // Secret values in 70-character lines, each ending with a newline, as kustomize writes them
    const value = objects.get('Secret/creds-7mf65kt6hh')!.data.key as string;
    expect(value.split('\n').map((l) => l.length)).toEqual([70, 70, 70, 58, 0]);
  });

  it('patches a prefixed base by the name the overlay knows, without a rename error (overlay-smp-original-name)', () => {
    const { objects, findings } = build({
      'kustomization.yaml': 'resources: [base]\npatches:\n- path: patch.yaml\n',
      'base/kustomization.yaml': 'namePrefix: shop-\nresources: [d.yaml]\n',
      'base/d.yaml': deployment('api'),
      'patch.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 4\n',
    });
    expect(findings).toEqual([]);
    expect(objects.get('Deployment/shop-api')!.spec.replicas).toBe(4);
  });

  it('finds a patch aimed at an intermediate name (overlay-three-levels-intermediate-name)', () => {
    const { objects, findings } = build({
      'kustomization.yaml': 'resources: [mid]\npatches:\n- path: patch.yaml\n',
      'mid/kustomization.yaml': 'namePrefix: mid-\nresources: [../base]\n',
      'base/kustomization.yaml': 'namePrefix: base-\nresources: [d.yaml]\n',
      'base/d.yaml': deployment('api'),
      'patch.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: base-api\nspec:\n  replicas: 4\n',
    });
    expect(findings).toEqual([]);
    expect(objects.get('Deployment/mid-base-api')!.spec.replicas).toBe(4);
  });

  it('keeps the apiVersion and kind of every object a target-by-name patch selects (target-smp-name)', () => {
    const { objects } = build({
      'kustomization.yaml':
        'resources: [o.yaml]\npatches:\n- target: {name: web}\n  patch: |-\n    apiVersion: v1\n    kind: Ignored\n    metadata:\n      name: ignored\n      labels: {patched: "true"}\n',
      'o.yaml': `${deployment('web')}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n`,
    });
    expect([objects.get('Deployment/web')!.apiVersion, objects.get('Service/web')!.apiVersion]).toEqual([
      'apps/v1',
      'v1',
    ]);
    expect(objects.get('Service/web')!.metadata.labels).toEqual({ patched: 'true' });
  });

  it('does not create volumeClaimTemplates on a StatefulSet that has none (meta-common-labels-statefulset)', () => {
    const { objects } = build({
      'kustomization.yaml': 'resources: [s.yaml]\ncommonLabels: {team: a}\n',
      's.yaml':
        'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  serviceName: db\n  template:\n    spec:\n      containers: [{name: db, image: postgres}]\n',
    });
    expect(objects.get('StatefulSet/db')!.spec.volumeClaimTemplates).toBeUndefined();
    expect(objects.get('StatefulSet/db')!.spec.template.metadata.labels).toEqual({ team: 'a' });
  });

  it('reads 0644 as octal and the other YAML scalars as kustomize does (scalar-*)', () => {
    const { objects } = build({
      'kustomization.yaml': 'resources: [d.yaml]\n',
      'd.yaml': deployment(
        'web',
        '        env:\n        - {name: A, value: on}\n        - {name: B, value: 1_000}\n        - {name: C, value: 2001-12-14}\n      volumes:\n      - name: s\n        secret: {secretName: x, defaultMode: 0644}\n',
      ),
    });
    const pod = objects.get('Deployment/web')!.spec.template.spec;
    expect(pod.volumes[0].secret.defaultMode).toBe(420);
    expect(pod.containers[0].env.map((e: O) => e.value)).toEqual(['on', 1000, '2001-12-14T00:00:00Z']);
  });

  it('puts list items a strategic merge patch adds first, in the patch order (smp-patches-env-add-order)', () => {
    const { objects } = build({
      'kustomization.yaml': 'resources: [d.yaml]\npatches:\n- path: p.yaml\n',
      'd.yaml': deployment('web', '        env:\n        - {name: A, value: a}\n'),
      'p.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        env:\n        - {name: C, value: "$(A)-c"}\n        - {name: D, value: d}\n',
    });
    expect(objects.get('Deployment/web')!.spec.template.spec.containers[0].env.map((e: O) => e.name)).toEqual(
      ['C', 'D', 'A'],
    );
  });

  it('is silent where kustomize is, and refuses where it refuses (target-json-no-match, resources-*)', () => {
    expect(
      build({
        'kustomization.yaml':
          'resources: [d.yaml]\nnamePrefix: a-\nnamePrefix: b-\npatches:\n- target: {kind: DaemonSet}\n  patch: |-\n    - {op: add, path: /x, value: 1}\n',
        'd.yaml': deployment('web'),
      }).findings,
    ).toEqual([]);
    const refused = build({
      'kustomization.yaml': 'resources: [a.yaml]\nimages:\n- name: nginx\n  newTag: 1.27\n',
      'a.yaml': 'kind: ConfigMap\nmetadata: {name: x}\n',
    });
    expect(refused.findings.map((f) => f.rule)).toEqual(['kustomize-invalid']);
    expect(refused.findings[0]!.message).toContain('`images.0.newTag` must be a string');
    const noApiVersion = build({
      'kustomization.yaml': 'resources: [a.yaml]\n',
      'a.yaml': 'kind: ConfigMap\nmetadata: {name: x}\n',
    });
    expect(noApiVersion.findings.map((f) => [f.rule, f.location])).toEqual([
      ['kustomize-invalid-resource', { file: 'a.yaml', line: 1 }],
    ]);
  });

  it('writes annotation values as the text they were written as (scalar-annotations-coerced)', () => {
    const { objects } = build({
      'kustomization.yaml': 'resources: [cm.yaml]\n',
      'cm.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations: {n: 12, f: 1.50, b: true}\n',
    });
    expect(objects.get('ConfigMap/a')!.metadata.annotations).toEqual({ n: '12', f: '1.50', b: 'true' });
  });

  it('follows renames in ValidatingAdmissionPolicyBinding, ClusterRole resourceNames and CRD conversion webhooks (ref-*)', () => {
    const { objects } = build({
      'kustomization.yaml': 'namePrefix: p-\nnamespace: shop\nresources: [o.yaml]\n',
      'o.yaml': [
        'apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicy\nmetadata: {name: replicas}\nspec: {}\n',
        'apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicyBinding\nmetadata: {name: b}\nspec: {policyName: replicas}\n',
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\n',
        'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: r}\nrules:\n- {apiGroups: [""], resources: [configmaps], resourceNames: [cfg], verbs: [get]}\n',
        'apiVersion: v1\nkind: Service\nmetadata: {name: conv}\n',
        'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: w.example.com}\nspec:\n  conversion:\n    strategy: Webhook\n    webhook:\n      clientConfig:\n        service: {name: conv, namespace: default}\n',
      ].join('---\n'),
    });
    expect(objects.get('ValidatingAdmissionPolicyBinding/p-b')!.spec.policyName).toBe('p-replicas');
    expect(objects.get('ClusterRole/p-r')!.rules[0].resourceNames).toEqual(['p-cfg']);
    // kustomize moves the service to its namespace and keeps the name as written
    expect(
      objects.get('CustomResourceDefinition/w.example.com')!.spec.conversion.webhook.clientConfig.service,
    ).toEqual({
      name: 'conv',
      namespace: 'shop',
    });
  });

  it('refuses labels[].includeVolumeClaimTemplates, which kustomize 5.5 does not know (labels-include-volume-claim-templates)', () => {
    const { findings, manifests } = build({
      'kustomization.yaml': 'resources: []\nlabels:\n- pairs: {a: b}\n  includeVolumeClaimTemplates: true\n',
    });
    expect(manifests).toEqual([]);
    expect(findings.map((f) => [f.rule, f.location?.line])).toEqual([['kustomize-invalid', 4]]);
  });
});
