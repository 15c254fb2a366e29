import { describe, expect, it } from 'vitest';
import { createWorkerRenderRunner } from '../../src/server/create-worker-render-runner.ts';
import { ConfigError, readEnvConfig } from '../../src/server/read-env-config.ts';

const GITLAB = { GITLAB_TOKEN: 'glpat-x', GITLAB_WEBHOOK_SECRET: 'secret' };

describe('the render settings of the worker', () => {
  it('require the sandbox and allow helm, kustomize and kubectl by default', () => {
    expect(readEnvConfig({ ...GITLAB, PATH: '/usr/bin' }).render).toEqual({
      sandbox: 'bwrap',
      allow: ['helm', 'kustomize', 'kubectl'],
      searchPath: '/usr/bin',
    });
  });

  it('take the opt-out, the allow-list and the bubblewrap binary from the environment', () => {
    expect(
      readEnvConfig({
        ...GITLAB,
        TOLLGATE_RENDER_SANDBOX: 'off',
        TOLLGATE_RENDER_ALLOW: 'helm, /opt/tools/kustomize',
        TOLLGATE_BWRAP: '/usr/local/bin/bwrap',
      }).render,
    ).toMatchObject({
      sandbox: 'off',
      allow: ['helm', '/opt/tools/kustomize'],
      bwrap: '/usr/local/bin/bwrap',
    });
  });

  it.each([
    [
      { TOLLGATE_RENDER_SANDBOX: 'maybe' },
      'TOLLGATE_RENDER_SANDBOX="maybe" is invalid: expected bwrap, auto or off',
    ],
    [
      { TOLLGATE_RENDER_ALLOW: 'helm,bin/render.sh' },
      '"bin/render.sh" must be a program name or an absolute path',
    ],
  ])('reject %j', (env, message) => {
    expect(() => readEnvConfig({ ...GITLAB, ...env })).toThrow(ConfigError);
    expect(() => readEnvConfig({ ...GITLAB, ...env })).toThrow(message);
  });

  it('make a worker without bubblewrap refuse render commands', async () => {
    const config = readEnvConfig({
      ...GITLAB,
      PATH: process.env.PATH ?? '',
      TOLLGATE_BWRAP: '/nonexistent/bwrap',
    });
    const result = await createWorkerRenderRunner(config).runRender({
      argv: ['kubectl', 'kustomize', '.'],
      treeDir: '/tmp',
      timeoutMs: 1000,
      maxOutputBytes: 1024,
    });
    expect(result.refused).toContain('the render sandbox is not available (bwrap is not installed)');
  });
});
