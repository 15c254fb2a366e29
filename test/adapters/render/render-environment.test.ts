import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createRenderRunner } from '../../../src/adapters/render/create-render-runner.ts';
import { materializeTree } from '../../../src/adapters/render/materialize-tree.ts';
import { renderAllEnvironments, renderEnvironment } from '../../../src/adapters/render/render-environment.ts';
import { runRenderCommand } from '../../../src/adapters/render/run-render-command.ts';
import { DEFAULT_CONFIG, type EnvironmentConfig } from '../../../src/core/config/tollgate-config.ts';
import type { SourceTree } from '../../../src/usecases/ports/source-tree.ts';
import { readFixtureTree } from '../../core/render/read-fixture-tree.ts';

function memoryTree(sha: string, files: Map<string, string>): SourceTree {
  return {
    sha,
    listFiles: async () => [...files.keys()],
    readFile: async (path) => (files.has(path) ? new TextEncoder().encode(files.get(path)!) : undefined),
  };
}

const tree = memoryTree('a'.repeat(40), readFixtureTree());
// The worker's runner: bubblewrap required, `node` allowed (the fake helm is a node script).
const runner = createRenderRunner({
  sandbox: 'bwrap',
  allow: ['node'],
  searchPath: process.env.PATH ?? '',
  killGraceMs: 200,
});
const helm = (name: string, argv: string[], timeoutSeconds = 10): EnvironmentConfig => ({
  name,
  source: { type: 'command', argv: ['node', 'fake-helm.mjs', ...argv], timeoutSeconds },
  line: 3,
});

describe('renderEnvironment with a command', () => {
  it('runs the command in a materialised tree and maps helm sources back to files', async () => {
    const out = await renderEnvironment(
      tree,
      helm('prod', ['template', 'coffee', './chart', '--set', 'replicas=4']),
      { renderRunner: runner },
    );
    expect(out.findings).toEqual([]);
    expect(out.manifests.map((m) => `${m.identity.kind}/${m.identity.name} ${m.file}`)).toEqual([
      'Deployment/coffee chart/templates/deployment.yaml',
      'Service/coffee <command output of env prod>',
    ]);
    expect((out.manifests[0]!.object as { spec: { replicas: number } }).spec.replicas).toBe(4);
    // the template is read from the materialised tree: the field maps to its template line
    expect(out.manifests[0]!.lineOf(['spec', 'replicas'])).toBe(6);
  });

  it('passes only PATH, HOME, TMPDIR, LANG (and the PWD of its shell) to the command', async () => {
    const out = await renderEnvironment(tree, helm('e', ['env']), { renderRunner: runner });
    expect((out.manifests[0]!.object as { data: { keys: string } }).data.keys).toBe(
      'HOME,LANG,PATH,PWD,TMPDIR',
    );
  });

  it('reports a failing command with the last 20 lines of stderr', async () => {
    const out = await renderEnvironment(tree, helm('bad', ['fail']), { renderRunner: runner });
    expect(out.manifests).toEqual([]);
    const f = out.findings[0]!;
    expect(f).toMatchObject({
      rule: 'render-command-failed',
      blocking: true,
      environment: 'bad',
      location: { file: '.tollgate.yml', line: 3 },
    });
    expect(f.message).toContain('exited with status 3');
    expect(f.message).toContain('error line 30');
    expect(f.message).toContain('error line 11');
    expect(f.message).not.toContain('error line 10\n');
  });

  it('kills a hanging command at its timeout', async () => {
    const started = Date.now();
    const out = await renderEnvironment(tree, helm('slow', ['hang'], 1), {
      renderRunner: runner,
    });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(out.findings[0]).toMatchObject({ rule: 'render-command-timeout', environment: 'slow' });
  });

  it('stops a command whose output exceeds the cap, and does not run a program off the allow-list', async () => {
    const capped = await renderEnvironment(tree, helm('flood', ['flood']), {
      renderRunner: runner,
      limits: { ...DEFAULT_CONFIG.limits, maxRenderOutputBytes: 64 * 1024 },
    });
    expect(capped.findings[0]?.rule).toBe('render-output-too-large');
    const missing = await renderEnvironment(
      tree,
      { name: 'm', source: { type: 'command', argv: ['no-such-binary-tollgate'], timeoutSeconds: 5 } },
      { renderRunner: runner },
    );
    // not on the allow-list: not run at all, and the environment is not checked (blocking)
    expect(missing.findings[0]).toMatchObject({ rule: 'render-not-checked', blocking: true });
    expect(missing.findings[0]?.message).toContain(
      '`no-such-binary-tollgate` is not an allowed render program',
    );
  });
});

describe('renderAllEnvironments', () => {
  it('renders configured environments in order, natively and by command', async () => {
    const config = {
      ...DEFAULT_CONFIG,
      environments: [
        { name: 'staging', source: { type: 'kustomize' as const, path: 'overlays/staging' } },
        helm('production', ['template', 'coffee', './chart']),
      ],
    };
    const out = await renderAllEnvironments(tree, config, { renderRunner: runner });
    expect(out.map((e) => [e.environment, e.manifests.length, e.findings.length])).toEqual([
      ['staging', 5, 0],
      ['production', 2, 0],
    ]);
  });
});

describe('materializeTree', () => {
  it('shares one folder per SHA between users and removes it after the last one', async () => {
    const limits = DEFAULT_CONFIG.limits;
    const a = await materializeTree(tree, limits);
    const b = await materializeTree(tree, limits);
    expect(b.dir).toBe(a.dir);
    expect(existsSync(`${a.dir}/overlays/production/coffee-apm.yaml`)).toBe(true);
    await a.release();
    expect(existsSync(a.dir)).toBe(true);
    await b.release();
    expect(existsSync(a.dir)).toBe(false);
  });

  it('bounds the number of files written', async () => {
    const small = await materializeTree(memoryTree('b'.repeat(40), readFixtureTree()), {
      ...DEFAULT_CONFIG.limits,
      maxTreeFiles: 2,
    });
    expect(small.files).toHaveLength(2);
    expect(small.findings[0]?.rule).toBe('tree-too-large');
    await small.release();
  });
});

describe('runRenderCommand', () => {
  it('kills the whole process group, grandchildren included', async () => {
    const script =
      "require('child_process').spawn(process.execPath, ['-e', 'setInterval(()=>{},1000)'], {stdio: 'inherit'}); setInterval(()=>{},1000)";
    const started = Date.now();
    const result = await runRenderCommand([process.execPath, '-e', script], {
      cwd: '/tmp',
      timeoutMs: 500,
      maxOutputBytes: 1024,
      env: { PATH: process.env.PATH },
      killGraceMs: 200,
    });
    expect(result.timedOut).toBe(true);
    expect(Date.now() - started).toBeLessThan(4000);
  });
});

describe('renderAllEnvironments without configured environments', () => {
  const discovered = readFixtureTree(new URL('../../fixtures/render/discovered/', import.meta.url).pathname);

  it('renders one environment per overlay, plus `default` (plain YAML) kept out of drift', async () => {
    const out = await renderAllEnvironments(memoryTree('d'.repeat(40), discovered), DEFAULT_CONFIG);
    expect(out.map((e) => [e.environment, e.excludeFromDrift ?? false, e.findings.length])).toEqual([
      ['default', true, 0],
      ['dev', false, 0],
      ['staging', false, 0],
      ['production', false, 0],
    ]);
    expect(out[0]!.manifests.map((m) => `${m.identity.kind}/${m.identity.name} ${m.file}`)).toEqual([
      'Namespace/tea-production cluster/namespaces.yaml',
    ]);
    const production = out[3]!.manifests[0]!;
    expect(production.identity).toMatchObject({
      kind: 'Deployment',
      name: 'tea',
      namespace: 'tea-production',
    });
    expect(production.file).toBe('deploy/base/tea.yaml');
    expect(
      (production.object as { spec: { template: { spec: { containers: { image: string }[] } } } }).spec
        .template.spec.containers[0]!.image,
    ).toBe('nginxdemos/nginx-hello:0.9.0');
  });

  it('drops an empty `default` next to overlays', async () => {
    const withoutPlain = new Map([...discovered].filter(([path]) => !path.startsWith('cluster/')));
    const out = await renderAllEnvironments(memoryTree('e'.repeat(40), withoutPlain), DEFAULT_CONFIG);
    expect(out.map((e) => e.environment)).toEqual(['dev', 'staging', 'production']);
  });
});
