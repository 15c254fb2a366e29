import { describe, expect, it } from 'vitest';
import type { Manifest } from '../../../src/core/manifests/parse-manifests.ts';
import { computeKustomizeHash } from '../../../src/core/render/generate-kustomize-objects.ts';
import { renderKustomization } from '../../../src/core/render/render-kustomization.ts';
import { readFixtureTree } from './read-fixture-tree.ts';

const byId = (manifests: Manifest[]) =>
  new Map(manifests.map((m) => [`${m.identity.kind}/${m.identity.name}`, m]));
// biome-ignore lint/suspicious/noExplicitAny: tests read deep fields of rendered objects
type O = Record<string, any>;

describe('renderKustomization (native)', () => {
  const files = readFixtureTree();

  it('renders the production overlay: namespace, labels with selectors, annotations, images, replicas, patches', () => {
    const { manifests, findings } = renderKustomization(files, 'overlays/production');
    expect(findings).toEqual([]);
    const objects = byId(manifests);
    expect([...objects.keys()].sort()).toEqual([
      'ConfigMap/coffee-config-5chh99f28d',
      'Deployment/coffee',
      'Deployment/tea',
      'Secret/coffee-db-6b92gkh24f',
      'Service/coffee',
      'Service/tea',
    ]);
    const coffee = objects.get('Deployment/coffee')!;
    const o = coffee.object as O;
    expect(coffee.identity.namespace).toBe('cafe-prod');
    expect(coffee.file).toBe('base/coffee.yaml');
    expect(coffee.line).toBe(1);
    expect(coffee.lineOf(['spec', 'template', 'spec', 'containers', 0, 'image'])).toBe(17);
    expect(o.spec.replicas).toBe(3);
    expect(o.spec.selector.matchLabels).toEqual({
      app: 'coffee',
      'app.kubernetes.io/part-of': 'cafe',
      env: 'production',
    });
    expect(o.spec.template.metadata.labels.env).toBe('production');
    expect(o.metadata.annotations).toEqual({ team: 'cafe-ops' });
    const container = o.spec.template.spec.containers[0];
    expect(container.image).toBe('nginxdemos/nginx-hello:1.2.0');
    expect(container.env).toEqual([
      { name: 'PINPOINT_AGENT_ID', value: 'coffee-prod' },
      { name: 'LOG_LEVEL', value: 'info' },
    ]);
    expect(container.ports).toEqual([{ containerPort: 8080 }]);
    expect(container.resources).toEqual({ limits: { memory: '512Mi' } });
    expect(container.envFrom[0].configMapRef.name).toBe('coffee-config-5chh99f28d');
    expect((objects.get('Deployment/tea')!.object as O).spec.replicas).toBe(2);
    expect((objects.get('Service/coffee')!.object as O).spec.selector.env).toBe('production');
    expect((objects.get('ConfigMap/coffee-config-5chh99f28d')!.object as O).data).toEqual({
      BREW: 'espresso',
      CUPS: '5',
    });
    const secret = objects.get('Secret/coffee-db-6b92gkh24f')!;
    expect(secret.file).toBe('overlays/production/kustomization.yaml');
    expect(secret.line).toBe(31);
  });

  it('renders staging from the same base without production-only changes', () => {
    const { manifests, findings } = renderKustomization(files, 'overlays/staging');
    expect(findings).toEqual([]);
    const coffee = byId(manifests).get('Deployment/coffee')!.object as O;
    expect(coffee.metadata.namespace).toBe('cafe-staging');
    expect(coffee.spec.replicas).toBe(1);
    expect(coffee.spec.template.spec.containers[0].env).toEqual([{ name: 'LOG_LEVEL', value: 'info' }]);
  });

  it('computes generator names exactly like kustomize', () => {
    const tree = new Map([
      [
        'k/kustomization.yaml',
        'configMapGenerator:\n- name: example-configmap-1\n  files:\n  - application.properties\n- name: example-configmap-2\n  literals:\n  - FOO=Bar\n- name: plain\n  options:\n    disableNameSuffixHash: true\n  envs: [app.env]\n',
      ],
      ['k/application.properties', 'FOO=Bar\n'],
      ['k/app.env', '# comment\nA=1\n\nB=two words\n'],
    ]);
    const { manifests, findings } = renderKustomization(tree, 'k');
    expect(findings).toEqual([]);
    expect(manifests.map((m) => m.identity.name)).toEqual([
      'example-configmap-1-g4hk9g2ff8',
      'example-configmap-2-42cfbf598f',
      'plain',
    ]);
    expect(manifests[2]!.object.data).toEqual({ A: '1', B: 'two words' });
    expect(
      computeKustomizeHash({
        kind: 'ConfigMap',
        metadata: { name: 'example-configmap-2' },
        data: { FOO: 'Bar' },
      }),
    ).toBe('42cfbf598f');
  });

  it('applies prefixes and suffixes and renames ConfigMap/Secret references', () => {
    const tree = new Map([
      [
        'k/kustomization.yaml',
        'namePrefix: prod-\nnameSuffix: -v1\nresources: [app.yaml]\nconfigMapGenerator:\n- name: cfg\n  literals: [A=1]\n  options: {disableNameSuffixHash: true}\n',
      ],
      [
        'k/app.yaml',
        'apiVersion: v1\nkind: Pod\nmetadata: {name: app}\nspec:\n  containers:\n  - name: c\n    env:\n    - name: A\n      valueFrom: {configMapKeyRef: {name: cfg, key: A}}\n  volumes:\n  - name: v\n    configMap: {name: cfg}\n',
      ],
    ]);
    const { manifests } = renderKustomization(tree, 'k');
    const pod = manifests.find((m) => m.identity.kind === 'Pod')!.object as O;
    expect(pod.metadata.name).toBe('prod-app-v1');
    expect(pod.spec.containers[0].env[0].valueFrom.configMapKeyRef.name).toBe('prod-cfg-v1');
    expect(pod.spec.volumes[0].configMap.name).toBe('prod-cfg-v1');
  });

  it('merges strategic patches by merge key, deletes with $patch, and applies JSON6902 with targets', () => {
    const tree = new Map([
      [
        'k/kustomization.yaml',
        [
          'resources: [d.yaml]',
          'patchesStrategicMerge: [p.yaml]',
          'patchesJson6902:',
          '- target: {group: apps, version: v1, kind: Deployment, name: web}',
          '  patch: |-',
          '    - op: add',
          '      path: /spec/template/spec/containers/0/args',
          '      value: ["--fast"]',
          '    - op: remove',
          '      path: /spec/paused',
          'patches:',
          '- target: {kind: Deployment, labelSelector: "tier=web"}',
          '  patch: |-',
          '    apiVersion: apps/v1',
          '    kind: Deployment',
          '    metadata: {name: ignored}',
          '    spec: {minReadySeconds: 5}',
        ].join('\n'),
      ],
      [
        'k/d.yaml',
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, labels: {tier: web}}\nspec:\n  paused: true\n  template:\n    spec:\n      containers:\n      - name: app\n        image: a\n        ports: [{containerPort: 80}, {containerPort: 81}]\n      - name: sidecar\n        image: s\n      volumes: [{name: tmp, emptyDir: {}}]\n',
      ],
      [
        'k/p.yaml',
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        ports: [{containerPort: 81, $patch: delete}, {containerPort: 90}]\n      - name: sidecar\n        $patch: delete\n      volumes: [{name: cache, emptyDir: {}}]\n',
      ],
    ]);
    const { manifests, findings } = renderKustomization(tree, 'k');
    expect(findings).toEqual([]);
    const spec = (manifests[0]!.object as O).spec;
    expect(spec.paused).toBeUndefined();
    expect(spec.minReadySeconds).toBe(5);
    expect(spec.template.spec.containers).toEqual([
      // New list items come first, as `kubectl kustomize` puts them.
      { name: 'app', image: 'a', ports: [{ containerPort: 90 }, { containerPort: 80 }], args: ['--fast'] },
    ]);
    expect(spec.template.spec.volumes.map((v: O) => v.name)).toEqual(['cache', 'tmp']);
    expect(manifests[0]!.identity.name).toBe('web');
  });

  it('reports unsupported fields, missing resources, remote bases, cycles and bad patches with file and line', () => {
    const tree = new Map([
      [
        'k/kustomization.yaml',
        'resources:\n- ok.yaml\n- missing.yaml\n- https://github.com/x/y//base?ref=v1\n- ../loop\nvars: []\nhelmCharts: []\npatches:\n- path: nothing.yaml\n',
      ],
      ['k/ok.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n'],
      ['loop/kustomization.yaml', 'resources: [../k]\n'],
    ]);
    const { manifests, findings } = renderKustomization(tree, 'k');
    expect(manifests.map((m) => m.identity.name)).toEqual(['ok']);
    const at = findings.map((f) => `${f.rule} ${f.location?.file}:${f.location?.line}`);
    expect(at).toEqual(
      expect.arrayContaining([
        'kustomize-unsupported k/kustomization.yaml:6',
        'kustomize-unsupported k/kustomization.yaml:7',
        'kustomize-missing k/kustomization.yaml:3',
        'kustomize-unsupported k/kustomization.yaml:4',
        'kustomize-cycle loop/kustomization.yaml:1',
        'kustomize-patch k/kustomization.yaml:9',
      ]),
    );
    expect(findings.find((f) => f.message.includes('`vars`'))?.message).toContain('k/kustomization.yaml:6');
  });

  it('keeps rendering past malformed, duplicate-key and alias-bomb resources', () => {
    const bomb = [
      'a: &a [x,x,x,x,x,x,x,x,x]',
      ...'bcdefgh'
        .split('')
        .map(
          (c, i) =>
            `${c}: &${c} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`,
        ),
    ].join('\n');
    const tree = new Map<string, string | Uint8Array>([
      ['k/kustomization.yaml', 'resources: [good.yaml, bad.yaml, dup.yaml, bomb.yaml, bin.yaml]\n'],
      ['k/good.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: good}\n'],
      ['k/bad.yaml', 'apiVersion: v1\nkind: [\n'],
      ['k/dup.yaml', 'apiVersion: v1\nkind: ConfigMap\nkind: Secret\nmetadata: {name: d}\n'],
      ['k/bomb.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\n${bomb}\n`],
      ['k/bin.yaml', new Uint8Array([0, 1, 2, 3])],
    ]);
    const { manifests, findings } = renderKustomization(tree, 'k');
    expect(manifests.map((m) => m.identity.name)).toEqual(['good']);
    expect(findings.map((f) => `${f.rule}@${f.location?.file}`).sort()).toEqual(
      expect.arrayContaining([
        'binary-file@k/bin.yaml',
        'yaml-alias-limit@k/bomb.yaml',
        'yaml-duplicate-key@k/dup.yaml',
      ]),
    );
    expect(findings.some((f) => f.location?.file === 'k/bad.yaml')).toBe(true);
  });
});
