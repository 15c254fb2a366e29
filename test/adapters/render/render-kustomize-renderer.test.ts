import { describe, expect, it } from 'vitest';
import { createRenderRunner } from '../../../src/adapters/render/create-render-runner.ts';
import { renderAllEnvironments } from '../../../src/adapters/render/render-environment.ts';
import { parseTollgateConfig } from '../../../src/core/config/parse-tollgate-config.ts';
import type { SourceTree } from '../../../src/usecases/ports/source-tree.ts';
import { readFixtureTree } from '../../core/render/read-fixture-tree.ts';

function memoryTree(sha: string, files: Map<string, string>): SourceTree {
  return {
    sha,
    listFiles: async () => [...files.keys()],
    readFile: async (path) => (files.has(path) ? new TextEncoder().encode(files.get(path)!) : undefined),
  };
}

// The coffee-shop fixture, plus a kustomization using `vars`, which only the real kustomize renders.
const files = readFixtureTree();
files.set(
  'vars/kustomization.yaml',
  'resources: [app.yaml]\nnamePrefix: v-\nvars:\n- name: SVC\n  objref: {kind: Service, name: web, apiVersion: v1}\n  fieldref: {fieldpath: metadata.name}\nconfigMapGenerator:\n- name: cfg\n  literals: [A=1]\n',
);
files.set(
  'vars/app.yaml',
  'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports: [{port: 80}]\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: nginx\n        args: ["--upstream=$(SVC)"]\n',
);
const tree = memoryTree('c'.repeat(40), files);
const runner = createRenderRunner({
  sandbox: 'bwrap',
  allow: ['kubectl'],
  searchPath: process.env.PATH ?? '',
  killGraceMs: 200,
});

function config(text: string) {
  const parsed = parseTollgateConfig(text);
  expect(parsed.findings).toEqual([]);
  return parsed.config!;
}

describe('renderer: kustomize', () => {
  it('renders with the real kustomize in the sandbox (kubectl kustomize when only kubectl is allowed) and maps objects to their files', async () => {
    const [env] = await renderAllEnvironments(
      tree,
      config('environments:\n  - name: prod\n    kustomize: vars\n    renderer: kustomize\n'),
      { renderRunner: runner },
    );
    expect(env!.findings).toEqual([]);
    const byName = new Map(env!.manifests.map((m) => [`${m.identity.kind}/${m.identity.name}`, m]));
    expect([...byName.keys()].sort()).toEqual([
      'ConfigMap/v-cfg-89g4tffbfk',
      'Deployment/v-web',
      'Service/v-web',
    ]);
    const deployment = byName.get('Deployment/v-web')!;
    // `vars` is what the native renderer lacks: the real kustomize substituted it.
    expect(
      (deployment.object as { spec: { template: { spec: { containers: { args: string[] }[] } } } }).spec
        .template.spec.containers[0]!.args,
    ).toEqual(['--upstream=v-web']);
    expect([deployment.file, deployment.line]).toEqual(['vars/app.yaml', 8]);
    expect(deployment.lineOf(['spec', 'template'])).toBe(13);
    // generated objects point at the kustomization that declares the generator
    expect([
      byName.get('ConfigMap/v-cfg-89g4tffbfk')!.file,
      byName.get('ConfigMap/v-cfg-89g4tffbfk')!.line,
    ]).toEqual(['vars/kustomization.yaml', 8]);
    // the origin annotation was ours, not the repository's: it is not in the render
    expect(JSON.stringify(env!.manifests.map((m) => m.object))).not.toContain('config.kubernetes.io/origin');
  });

  it('gives the same objects as the native renderer where both support the kustomization', async () => {
    const [native, real] = await renderAllEnvironments(
      tree,
      config(
        'environments:\n  - name: native\n    kustomize: overlays/production\n  - name: real\n    kustomize: overlays/production\n    renderer: kustomize\n',
      ),
      { renderRunner: runner },
    );
    expect(real!.findings).toEqual([]);
    const objects = (env: typeof native) =>
      Object.fromEntries(env!.manifests.map((m) => [`${m.identity.kind}/${m.identity.name}`, m.object]));
    expect(objects(real)).toEqual(objects(native));
    expect(real!.manifests.map((m) => m.file).sort()).toEqual(native!.manifests.map((m) => m.file).sort());
  });

  it('is not checked (blocking) when the caller runs no render programs', async () => {
    const [env] = await renderAllEnvironments(
      tree,
      config('environments:\n  - name: prod\n    kustomize: vars\n    renderer: kustomize\n'),
    );
    expect(env!.manifests).toEqual([]);
    expect(env!.findings.map((f) => [f.rule, f.blocking])).toEqual([['render-not-checked', true]]);
  });

  it('refuses `renderer` outside kustomize environments', () => {
    const parsed = parseTollgateConfig(
      'environments:\n  - name: prod\n    path: k8s\n    renderer: kustomize\n',
    );
    expect(parsed.findings.map((f) => f.message)).toEqual([
      expect.stringContaining('applies only to `kustomize` environments'),
    ]);
  });
});
