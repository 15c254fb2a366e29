import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createRenderRunner,
  type RenderRunnerSettings,
} from '../../../src/adapters/render/create-render-runner.ts';

const tree = mkdtempSync(join(tmpdir(), 'tollgate-runner-'));
writeFileSync(
  join(tree, 'print.js'),
  "process.stdout.write(require('node:fs').readFileSync(process.argv[2], 'utf8'))\n",
);
writeFileSync(
  join(tree, 'scribble.js'),
  "require('node:fs').writeFileSync('values.yaml', 'changed'); console.log('kind: ConfigMap')\n",
);
writeFileSync(join(tree, 'values.yaml'), 'pristine');
writeFileSync(
  join(tree, 'leak.js'),
  "process.stderr.write(require('node:fs').readFileSync('secret.txt', 'utf8') + '\\n'); process.exit(2)\n",
);
const key = `-----BEGIN PRIVATE KEY-----\n${'A'.repeat(64)}\n${'B'.repeat(64)}\n-----END PRIVATE KEY-----\n`;
// The script got hold of a token and a key by some other way (the sandbox-off case): the last
// lines of its stderr hold the token and the key's tail, which the tail alone would not recognise.
writeFileSync(
  join(tree, 'secret.txt'),
  `the token is tok-${'7'.repeat(20)}\n${key.split('\n').slice(2).join('\n')}`,
);
const kustomize = join(tree, 'kustomize');
mkdirSync(join(kustomize, 'base'), { recursive: true });
writeFileSync(
  join(kustomize, 'base', 'kustomization.yaml'),
  'resources: [service.yaml]\nnamePrefix: prod-\n',
);
writeFileSync(
  join(kustomize, 'base', 'service.yaml'),
  'apiVersion: v1\nkind: Service\nmetadata:\n  name: coffee\nspec:\n  ports: [{port: 80}]\n',
);
mkdirSync(join(kustomize, 'remote'));
writeFileSync(
  join(kustomize, 'remote', 'kustomization.yaml'),
  'resources:\n  - https://github.com/kubernetes-sigs/kustomize//examples/helloWorld?ref=v5.5.0\n',
);

afterAll(() => rmSync(tree, { recursive: true, force: true }));

const base: RenderRunnerSettings = {
  sandbox: 'bwrap',
  allow: ['node', 'kubectl'],
  searchPath: process.env.PATH ?? '',
  killGraceMs: 200,
};
const request = (argv: string[], timeoutMs = 20_000) => ({
  argv,
  treeDir: tree,
  timeoutMs,
  maxOutputBytes: 1024 * 1024,
});

describe('createRenderRunner: the allow-list', () => {
  const runner = createRenderRunner(base);

  it.each([
    [['./render.sh'], '`./render.sh` is a path'],
    [['/usr/bin/node', 'print.js'], '`/usr/bin/node` is a path'],
    [['sh', '-c', 'env'], '`sh` is not an allowed render program (allowed: node, kubectl'],
    [[], 'the command is empty'],
  ])('does not run %j', async (argv, reason) => {
    const result = await runner.runRender(request(argv));
    expect(result.refused).toContain(reason);
    expect(result.stdout).toBe('');
  });

  it('takes an absolute allow-list entry by its name, never the repository file of that name', async () => {
    writeFileSync(join(tree, 'node'), '#!/bin/sh\necho hijacked\n', { mode: 0o755 });
    const result = await createRenderRunner({
      ...base,
      allow: ['/usr/bin/node'],
      searchPath: tree,
      bwrap: '/usr/bin/bwrap',
    }).runRender(request(['node', 'print.js', 'values.yaml']));
    rmSync(join(tree, 'node'));
    expect(result).toMatchObject({ exitCode: 0, stdout: 'pristine', isolation: 'sandbox' });
  });
});

describe('createRenderRunner: in the sandbox', () => {
  const runner = createRenderRunner(base);

  it('works on a throwaway copy: the checkout it was given is unchanged', async () => {
    const result = await runner.runRender(request(['node', 'scribble.js']));
    expect(result).toMatchObject({ exitCode: 0, stdout: 'kind: ConfigMap\n', isolation: 'sandbox' });
    expect(readFileSync(join(tree, 'values.yaml'), 'utf8')).toBe('pristine');
  });

  it('runs real kustomize (kubectl kustomize) on a local base', async () => {
    const result = await runner.runRender(request(['kubectl', 'kustomize', 'kustomize/base']));
    expect(result.stderrTail).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('name: prod-coffee');
  });

  it('cannot fetch a remote kustomize base: there is no network', async () => {
    const result = await runner.runRender(request(['kubectl', 'kustomize', 'kustomize/remote']));
    expect(result.exitCode).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderrTail).toMatch(/lookup github\.com|Could not resolve host: github\.com/);
  }, 30_000);

  it('stops a command and everything it started at the timeout', async () => {
    const started = Date.now();
    const result = await runner.runRender(
      request(
        [
          'node',
          '-e',
          "require('child_process').spawn(process.execPath, ['-e', 'setInterval(()=>{},1000)'], {stdio: 'inherit'}); setInterval(()=>{},1000)",
        ],
        500,
      ),
    );
    expect(result.timedOut).toBe(true);
    expect(Date.now() - started).toBeLessThan(4000);
  });
});

describe('createRenderRunner: where the sandbox is not available', () => {
  const missing = { ...base, bwrap: '/nonexistent/bwrap' };

  it('refuses every command by default, saying how to opt out', async () => {
    const result = await createRenderRunner(missing).runRender(request(['node', 'print.js', 'values.yaml']));
    expect(result.refused).toContain('the render sandbox is not available');
    expect(result.refused).toContain('TOLLGATE_RENDER_SANDBOX=off');
    expect(result.stdout).toBe('');
  });

  it('runs unsandboxed (still on a copy) when the operator opted out, or in auto mode', async () => {
    for (const sandbox of ['off', 'auto'] as const) {
      const result = await createRenderRunner({ ...missing, sandbox }).runRender(
        request(['node', 'scribble.js']),
      );
      expect(result).toMatchObject({ exitCode: 0, isolation: 'unsandboxed' });
      expect(readFileSync(join(tree, 'values.yaml'), 'utf8')).toBe('pristine');
    }
  });

  it('scrubs known secrets, every line of a key, and recognisable tokens from the stderr tail', async () => {
    const runner = createRenderRunner({ ...base, sandbox: 'off', secrets: [`tok-${'7'.repeat(20)}`, key] });
    const result = await runner.runRender(request(['node', 'leak.js']));
    expect(result.exitCode).toBe(2);
    expect(result.stderrTail).toContain('the token is [redacted]');
    expect(result.stderrTail).not.toContain('7777777');
    expect(result.stderrTail).not.toContain('BBBBBBBB');
    expect(existsSync(join(tree, 'values.yaml'))).toBe(true);
  });
});
