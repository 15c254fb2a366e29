import { describe, expect, it } from 'vitest';
import { renderAllEnvironments } from '../../../src/adapters/render/render-environment.ts';
import { DEFAULT_CONFIG } from '../../../src/core/config/tollgate-config.ts';
import { diffManifests } from '../../../src/core/diff/diff-manifests.ts';
import type { SourceTree } from '../../../src/usecases/ports/source-tree.ts';
import { readFixtureTree } from '../../core/render/read-fixture-tree.ts';

const FLUX = new URL('../../fixtures/render/flux/', import.meta.url).pathname;

function memoryTree(sha: string, files: Map<string, string>): SourceTree {
  return {
    sha,
    listFiles: async () => [...files.keys()],
    readFile: async (path) => (files.has(path) ? new TextEncoder().encode(files.get(path)!) : undefined),
  };
}

const ids = (env: { manifests: { identity: { kind: string; namespace: string; name: string } }[] }) =>
  env.manifests.map((m) => `${m.identity.kind}/${m.identity.namespace}/${m.identity.name}`).sort();

describe('Flux repository without .tollgate.yml', () => {
  const base = readFixtureTree(FLUX);

  it('renders each clusters/<env> with what its Flux Kustomizations deploy', async () => {
    const envs = await renderAllEnvironments(memoryTree('f'.repeat(40), base), DEFAULT_CONFIG);
    expect(envs.map((e) => e.environment)).toEqual(['staging', 'production']);
    const [staging, production] = envs;
    expect(ids(staging!)).toEqual([
      'HelmRelease/ingress-nginx/ingress-nginx',
      'HelmRelease/podinfo/podinfo',
      'Kustomization/flux-system/apps',
      'Kustomization/flux-system/infrastructure',
      'Namespace//podinfo',
    ]);
    const values = (env: typeof staging) =>
      (
        env!.manifests.find((m) => m.identity.name === 'podinfo' && m.identity.kind === 'HelmRelease')!
          .object as {
          spec: { values: { replicaCount: number } };
        }
      ).spec.values.replicaCount;
    expect([values(staging), values(production)]).toEqual([1, 3]);
    // What is not rendered is said, never silently passed: the charts of the HelmReleases.
    expect(staging!.findings.map((f) => [f.rule, f.title, f.blocking])).toEqual([
      ['flux-helmrelease-not-rendered', 'HelmRelease podinfo is not rendered', false],
      ['flux-helmrelease-not-rendered', 'HelmRelease ingress-nginx is not rendered', false],
    ]);
  });

  it('shows a HelmRelease change, an added Gateway and a removed ingress-nginx (never "0 changed")', async () => {
    const head = new Map(base);
    head.set(
      'apps/staging/podinfo-values.yaml',
      base.get('apps/staging/podinfo-values.yaml')!.replace('replicaCount: 1', 'replicaCount: 2'),
    );
    head.set('infrastructure/staging/kustomization.yaml', 'resources:\n  - gateway.yaml\n');
    head.set(
      'infrastructure/staging/gateway.yaml',
      'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: web\n  namespace: infra\nspec:\n  gatewayClassName: eg\n  listeners:\n  - {name: http, port: 80, protocol: HTTP}\n',
    );
    const before = await renderAllEnvironments(memoryTree('1'.repeat(40), base), DEFAULT_CONFIG);
    const after = await renderAllEnvironments(memoryTree('2'.repeat(40), head), DEFAULT_CONFIG);
    const diff = diffManifests(before[0]!.manifests, after[0]!.manifests, 'staging');
    expect(diff.resources.map((r) => `${r.change} ${r.kind}/${r.name}`).sort()).toEqual([
      'added Gateway/web',
      'changed HelmRelease/podinfo',
      'removed HelmRelease/ingress-nginx',
    ]);
    expect(diffManifests(before[1]!.manifests, after[1]!.manifests, 'production').resources).toEqual([]);
  });
});
