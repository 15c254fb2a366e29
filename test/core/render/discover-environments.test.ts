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
});
