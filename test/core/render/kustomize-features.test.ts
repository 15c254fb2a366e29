import { describe, expect, it } from 'vitest';
import type { Manifest } from '../../../src/core/manifests/parse-manifests.ts';
import { renderKustomization } from '../../../src/core/render/render-kustomization.ts';
import { readFixtureTree } from './read-fixture-tree.ts';

// biome-ignore lint/suspicious/noExplicitAny: tests read deep fields of rendered objects
type O = Record<string, any>;
const FEATURES = new URL('../../fixtures/render/kustomize-features/', import.meta.url).pathname;
const byId = (manifests: Manifest[]) =>
  new Map(manifests.map((m) => [`${m.identity.kind}/${m.identity.name}`, m.object as O]));

describe('renderKustomization: components, replacements, name references, labels', () => {
  const files = readFixtureTree(FEATURES);
  const { manifests, findings } = renderKustomization(files, 'overlays/production');
  const objects = byId(manifests);

  it('renders every object of base, overlay and component with prefix, namespace and hashes', () => {
    expect(findings).toEqual([]);
    expect([...objects.keys()].sort()).toEqual([
      'ClusterRoleBinding/prod-web-view',
      'ConfigMap/prod-apm',
      'ConfigMap/prod-app-config-hf678c7m2b',
      'ConfigMap/prod-settings',
      'Deployment/prod-web',
      'HTTPRoute/prod-web',
      'HorizontalPodAutoscaler/prod-web',
      'Ingress/prod-web',
      'PersistentVolumeClaim/prod-data',
      'PodDisruptionBudget/prod-web',
      'Role/prod-web-reader',
      'RoleBinding/prod-web',
      'Secret/prod-web-tls-97fm9tkd68',
      'Service/prod-web',
      'ServiceAccount/prod-web',
    ]);
    const apm = manifests.find((m) => m.identity.name === 'prod-apm')!;
    expect(apm.file).toBe('components/apm/apm.yaml');
    expect(apm.identity.namespace).toBe('cafe-prod');
  });

  it('applies the component (after generators) to the including level and renames what it adds', () => {
    const pod = objects.get('Deployment/prod-web')!.spec.template.spec;
    expect(pod.containers[0].envFrom).toEqual([
      { configMapRef: { name: 'prod-app-config-hf678c7m2b' } },
      { configMapRef: { name: 'prod-apm' } },
    ]);
  });

  it('points kustomize name references at the final names', () => {
    const deployment = objects.get('Deployment/prod-web')!;
    expect(deployment.spec.template.spec.serviceAccountName).toBe('prod-web');
    expect(deployment.spec.template.spec.volumes).toEqual([
      { name: 'tls', secret: { secretName: 'prod-web-tls-97fm9tkd68' } },
      { name: 'data', persistentVolumeClaim: { claimName: 'prod-data' } },
    ]);
    expect(objects.get('HorizontalPodAutoscaler/prod-web')!.spec.scaleTargetRef.name).toBe('prod-web');
    const ingress = objects.get('Ingress/prod-web')!;
    expect(ingress.spec.rules[0].http.paths[0].backend.service.name).toBe('prod-web');
    expect(ingress.spec.tls[0].secretName).toBe('prod-web-tls-97fm9tkd68');
    expect(objects.get('Role/prod-web-reader')!.rules[0].resourceNames).toEqual([
      'prod-app-config-hf678c7m2b',
    ]);
    const binding = objects.get('RoleBinding/prod-web')!;
    expect(binding.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'Role',
      name: 'prod-web-reader',
    });
    expect(binding.subjects).toEqual([
      { kind: 'ServiceAccount', name: 'prod-web', namespace: 'cafe-prod' },
      { kind: 'ServiceAccount', name: 'default', namespace: 'cafe-prod' },
      // kustomize renames a subject named like the ServiceAccount whatever its kind (kubectl kustomize agrees).
      { kind: 'User', name: 'prod-web', namespace: 'cafe-prod' },
    ]);
    const clusterBinding = objects.get('ClusterRoleBinding/prod-web-view')!;
    expect(clusterBinding.roleRef.name).toBe('view');
    expect(clusterBinding.subjects).toEqual([
      { kind: 'ServiceAccount', name: 'prod-web', namespace: 'cafe-prod' },
    ]);
    // Gateway API routes are not in kustomize's nameReference list: `kustomize build` leaves them.
    expect(objects.get('HTTPRoute/prod-web')!.spec.rules[0].backendRefs[0].name).toBe('web');
  });

  it('applies replacements: whole fields, delimiter parts, selectors with reject, create', () => {
    const ingress = objects.get('Ingress/prod-web')!;
    expect(ingress.spec.rules[0].host).toBe('coffee.example.com');
    expect(ingress.spec.tls[0].hosts).toEqual(['coffee.example.com']);
    expect(objects.get('HTTPRoute/prod-web')!.spec.hostnames).toEqual(['coffee.example.com']);
    const deployment = objects.get('Deployment/prod-web')!;
    expect(deployment.spec.template.spec.containers[0].image).toBe('nginxdemos/nginx-hello:1.4.2');
    expect(deployment.spec.template.metadata.annotations).toEqual({ 'apm/instances': 2 });
    expect(objects.get('HorizontalPodAutoscaler/prod-web')!.spec.minReplicas).toBe(2);
  });

  it('puts `labels` where includeTemplates / includeSelectors say, selectors only where they exist', () => {
    const deployment = objects.get('Deployment/prod-web')!;
    expect(deployment.metadata.labels).toEqual({ app: 'web', team: 'cafe', tier: 'web' });
    expect(deployment.spec.template.metadata.labels).toEqual({ app: 'web', team: 'cafe', tier: 'web' });
    expect(deployment.spec.selector.matchLabels).toEqual({ app: 'web', tier: 'web' });
    expect(objects.get('Service/prod-web')!.spec.selector).toEqual({ app: 'web', tier: 'web' });
    expect(objects.get('PodDisruptionBudget/prod-web')!.spec.selector.matchLabels).toEqual({
      app: 'web',
      tier: 'web',
    });
    expect(objects.get('Ingress/prod-web')!.metadata.labels).toEqual({ team: 'cafe', tier: 'web' });
  });
});

describe('renderKustomization: edge cases of the new fields', () => {
  it('drops local-config objects after using them as replacement sources; replacement files; type kept', () => {
    const tree = new Map([
      [
        'k/kustomization.yaml',
        'resources: [app.yaml, values.yaml]\nreplacements:\n- path: r.yaml\n- source: {kind: ConfigMap, name: values, fieldPath: data.missing}\n  targets: [{select: {kind: Deployment}, fieldPaths: [spec.replicas]}]\n',
      ],
      [
        'k/values.yaml',
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: values\n  annotations: {config.kubernetes.io/local-config: "true"}\ndata: {replicas: "4", registry: "registry.example.com/team"}\n',
      ],
      [
        'k/r.yaml',
        '- source: {kind: ConfigMap, name: values, fieldPath: data.replicas}\n  targets: [{select: {kind: Deployment, name: app}, fieldPaths: [spec.replicas]}]\n- source: {kind: ConfigMap, name: values, fieldPath: data.registry, options: {delimiter: /, index: 1}}\n  targets:\n  - select: {kind: Deployment}\n    fieldPaths: ["spec.template.spec.containers.*.env.[name=TEAM].value"]\n',
      ],
      [
        'k/app.yaml',
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\nspec:\n  replicas: 1\n  template:\n    spec:\n      containers:\n      - name: a\n        env: [{name: TEAM, value: x}, {name: OTHER, value: y}]\n      - name: b\n        env: [{name: TEAM, value: x}]\n',
      ],
    ]);
    const { manifests, findings } = renderKustomization(tree, 'k');
    expect(manifests.map((m) => m.identity.name)).toEqual(['app']);
    const spec = (manifests[0]!.object as O).spec;
    expect(spec.replicas).toBe(4);
    expect(spec.template.spec.containers.map((c: O) => c.env)).toEqual([
      [
        { name: 'TEAM', value: 'team' },
        { name: 'OTHER', value: 'y' },
      ],
      [{ name: 'TEAM', value: 'team' }],
    ]);
    expect(findings.map((f) => [f.rule, f.location?.line, f.message])).toEqual([
      [
        'kustomize-replacement',
        4,
        'k/kustomization.yaml:4: replacements[1]: the source field `data.missing` is missing in ConfigMap/values.',
      ],
    ]);
  });

  it('reports components that are not `kind: Component`, components in resources, and missing ones', () => {
    const tree = new Map([
      ['k/kustomization.yaml', 'resources: [../comp]\ncomponents:\n- ../plain\n- ../nowhere\n- ../comp\n'],
      [
        'comp/kustomization.yaml',
        'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\ncommonLabels: {c: "1"}\n',
      ],
      ['plain/kustomization.yaml', 'resources: [cm.yaml]\n'],
      ['plain/cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n'],
      ['k/cm.yaml', ''],
    ]);
    const { manifests, findings } = renderKustomization(tree, 'k');
    expect(manifests).toEqual([]);
    expect(findings.map((f) => `${f.rule} ${f.location?.file}:${f.location?.line}`)).toEqual([
      'kustomize-component k/kustomization.yaml:1',
      'kustomize-component k/kustomization.yaml:3',
      'kustomize-missing k/kustomization.yaml:4',
    ]);
  });

  it('tells same-named ConfigMaps of two prefixed bases apart by prefix', () => {
    const base = (p: string) => [
      [
        `${p}/kustomization.yaml`,
        `namePrefix: ${p}-\nresources: [d.yaml]\nconfigMapGenerator:\n- name: cfg\n  literals: [A=${p}]\n`,
      ],
      [
        `${p}/d.yaml`,
        'apiVersion: v1\nkind: Pod\nmetadata: {name: app}\nspec:\n  containers:\n  - name: c\n    envFrom: [{configMapRef: {name: cfg}}]\n',
      ],
    ];
    const tree = new Map([
      ['top/kustomization.yaml', 'resources: [../one, ../two]\n'],
      ...(base('one') as [string, string][]),
      ...(base('two') as [string, string][]),
    ]);
    const { manifests, findings } = renderKustomization(tree, 'top');
    expect(findings).toEqual([]);
    const refs = manifests
      .filter((m) => m.identity.kind === 'Pod')
      .map((m) => [m.identity.name, (m.object as O).spec.containers[0].envFrom[0].configMapRef.name]);
    const names = manifests.filter((m) => m.identity.kind === 'ConfigMap').map((m) => m.identity.name);
    expect(refs).toEqual([
      ['one-app', names.find((n) => n.startsWith('one-cfg-'))],
      ['two-app', names.find((n) => n.startsWith('two-cfg-'))],
    ]);
  });
});

describe('renderKustomization: patches that rename', () => {
  const tree = (options: string) =>
    new Map([
      [
        'k/kustomization.yaml',
        `resources: [app.yaml]\npatches:\n- target: {kind: ConfigMap, name: cfg}\n${options}  patch: |-\n    apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: settings}\n    data: {B: "2"}\n`,
      ],
      [
        'k/app.yaml',
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {A: "1"}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    envFrom: [{configMapRef: {name: cfg}}]\n',
      ],
    ]);

  it('renames with options.allowNameChange, and references follow', () => {
    const { manifests, findings } = renderKustomization(tree('  options: {allowNameChange: true}\n'), 'k');
    expect(findings).toEqual([]);
    expect(manifests.map((m) => m.object)).toEqual([
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { A: '1', B: '2' } },
      {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'p' },
        spec: { containers: [{ name: 'c', envFrom: [{ configMapRef: { name: 'settings' } }] }] },
      },
    ]);
  });

  it('keeps the name of a targeted patch without the option (the patch names its target by `target`)', () => {
    const { manifests, findings } = renderKustomization(tree(''), 'k');
    expect(findings).toEqual([]);
    expect(manifests.map((m) => m.identity.name)).toEqual(['cfg', 'p']);
    expect(manifests[0]!.object.data).toEqual({ A: '1', B: '2' });
  });

  it('lets a JSON patch of `patches` rename without the option, as kustomize does', () => {
    const t = new Map([
      [
        'k/kustomization.yaml',
        'resources: [app.yaml]\npatches:\n- target: {kind: ConfigMap}\n  patch: |-\n    - {op: replace, path: /metadata/name, value: other}\n',
      ],
      ['k/app.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\n'],
    ]);
    const { manifests, findings } = renderKustomization(t, 'k');
    expect(manifests.map((m) => m.identity.name)).toEqual(['other']);
    expect(findings).toEqual([]);
  });
});
