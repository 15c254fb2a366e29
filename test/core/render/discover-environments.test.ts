import { describe, expect, it } from 'vitest';
import { discoverEnvironments } from '../../../src/core/render/discover-environments.ts';

describe('discoverEnvironments', () => {
  it('declares one kustomize environment per overlay of a single overlays/ folder, in promotion order', () => {
    const paths = [
      'deploy/base/kustomization.yaml',
      'deploy/overlays/production/kustomization.yaml',
      'deploy/overlays/staging/kustomization.yml',
      'deploy/overlays/canary/Kustomization',
      'deploy/overlays/dev/kustomization.yaml',
      'deploy/overlays/dev/patch.yaml',
      'deploy/overlays/notes/README.md',
      '.github/overlays/x/kustomization.yaml',
      'policies/overlays/y/kustomization.yaml',
    ];
    expect(discoverEnvironments(paths, { exclude: ['policies'] })).toEqual({
      environments: [
        { name: 'default', source: { type: 'discover' } },
        { name: 'dev', source: { type: 'kustomize', path: 'deploy/overlays/dev' } },
        { name: 'canary', source: { type: 'kustomize', path: 'deploy/overlays/canary' } },
        { name: 'staging', source: { type: 'kustomize', path: 'deploy/overlays/staging' } },
        { name: 'production', source: { type: 'kustomize', path: 'deploy/overlays/production' } },
      ],
      overlaysRoot: 'deploy/overlays',
      layout: 'overlays',
    });
  });

  it('keeps only `default` without overlays or with several overlays/ folders', () => {
    const only = { environments: [{ name: 'default', source: { type: 'discover' } }] };
    expect(discoverEnvironments(['k8s/app.yaml', 'base/kustomization.yaml'])).toEqual(only);
    expect(
      discoverEnvironments([
        'coffee/overlays/prod/kustomization.yaml',
        'tea/overlays/prod/kustomization.yaml',
      ]),
    ).toEqual(only);
    expect(discoverEnvironments(['overlays/default/kustomization.yaml'])).toEqual(only);
  });

  it('discovers Flux clusters/<env> folders as environments', () => {
    expect(
      discoverEnvironments([
        'apps/base/podinfo/kustomization.yaml',
        'apps/staging/kustomization.yaml',
        'apps/production/kustomization.yaml',
        'clusters/production/apps.yaml',
        'clusters/staging/apps.yaml',
        'clusters/staging/flux-system/gotk-sync.yaml',
        'infrastructure/controllers/kustomization.yaml',
      ]),
    ).toEqual({
      environments: [
        { name: 'default', source: { type: 'discover' } },
        { name: 'staging', source: { type: 'flux', path: 'clusters/staging' } },
        { name: 'production', source: { type: 'flux', path: 'clusters/production' } },
      ],
      layout: 'flux',
    });
  });

  it('discovers each Argo CD Application of a folder of the repository (app of apps included)', () => {
    const app = (name: string, path: string, extra = '') =>
      `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: ${name}\n  namespace: argocd\nspec:\n  source:\n    repoURL: https://example.com/repo.git\n    path: ${path}\n${extra}  destination:\n    server: https://kubernetes.default.svc\n    namespace: ${name}\n`;
    const files = new Map([
      [
        'apps/root.yaml',
        `${app('guestbook-production', 'envs/production')}---\n${app('guestbook-staging', 'envs/staging', '    directory:\n      recurse: true\n')}`,
      ],
      ['bootstrap/root-app.yaml', app('root', 'apps')],
      ['envs/production/kustomization.yaml', 'resources: []\n'],
      ['envs/staging/deploy.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n'],
      ['other.yaml', app('elsewhere', 'not/here')],
    ]);
    expect(discoverEnvironments([...files.keys()], { files })).toEqual({
      environments: [
        { name: 'default', source: { type: 'discover' } },
        { name: 'root', source: { type: 'path', path: 'apps', recurse: false }, namespace: 'root' },
        {
          name: 'guestbook-staging',
          source: { type: 'path', path: 'envs/staging' },
          namespace: 'guestbook-staging',
        },
        {
          name: 'guestbook-production',
          source: { type: 'kustomize', path: 'envs/production' },
          namespace: 'guestbook-production',
        },
      ],
      layout: 'argo',
    });
  });
});
