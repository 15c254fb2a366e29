import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/cli-io.ts';
import { runCli } from '../../src/cli/main.ts';

const repo = mkdtempSync(join(tmpdir(), 'tollgate-check-'));
const git = (...args: string[]) =>
  execFileSync('git', ['-C', repo, '-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], {
    encoding: 'utf8',
  });
const write = (path: string, text: string) => {
  mkdirSync(dirname(join(repo, path)), { recursive: true });
  writeFileSync(join(repo, path), text);
};

git('init', '-q', '-b', 'main');
write('deploy/coffee.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: coffee\n');
git('add', '.');
git('commit', '-qm', 'base');
git('checkout', '-qb', 'good');
write('deploy/tea.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: tea\n');
git('add', '.');
git('commit', '-qm', 'good');
git('checkout', '-qb', 'bad', 'main');
write('deploy/tea.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: tea\n  labels: {app: [tea}\n');
git('add', '.');
git('commit', '-qm', 'bad');

function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: repo, env: {} };
  return runCli(args, io).then((code) => ({ code, stdout, stderr }));
}

afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe('tollgate check', () => {
  it('passes a clean change with exit code 0', async () => {
    const { code, stdout } = await run(['check', '--base', 'main', '--head', 'good']);
    expect(code).toBe(0);
    expect(stdout).toContain('checks passed');
  });

  it('fails a broken change with exit 1 and names file and line', async () => {
    const { code, stdout } = await run(['check', '--base', 'main', '--head', 'bad', '--format', 'json']);
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.verdict).toBe('fail');
    expect(report.findings.length).toBeGreaterThan(0);
    expect(report.findings[0]).toMatchObject({
      rule: 'yaml-syntax',
      blocking: true,
      location: { file: 'deploy/tea.yaml', line: 5 },
    });
  });

  it('exits 2 with a clear message on usage errors', async () => {
    expect(await run(['check'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--base REF is required'),
    });
    expect(await run(['check', '--base', 'main', '--bogus'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("unknown option '--bogus'"),
    });
    expect((await run(['check', '--bse', 'main'])).stderr).toBe(
      "tollgate check: unknown option '--bse' (did you mean `--base`?); --help lists the options\n",
    );
    expect(await run(['check', '--base', 'main', '--format', 'yml'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining(
        "--format must be one of markdown, json, sarif, junit, codequality, text, not 'yml'",
      ),
    });
    for (const command of ['lint', 'diff --base main --head good', 'test', 'routes', 'audit'])
      expect(await run([...command.split(' '), '--format', 'yml'])).toMatchObject({
        code: 2,
        stderr: expect.stringContaining("not 'yml'"),
      });
    expect((await run(['chek'])).stderr).toContain("unknown command 'chek' (did you mean `check`?)");
    expect(await run(['nope'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("unknown command 'nope'"),
    });
  });
});

describe('tollgate --version', () => {
  it("prints package.json's version", async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(await run(['--version'])).toMatchObject({ code: 0, stdout: `tollgate ${version}\n` });
  });
});

describe('tollgate check with a ref that does not exist', () => {
  it('names the ref on one line and never suggests --unshallow in a full clone', async () => {
    let stderr = '';
    const io: CliIO = { stdout: () => {}, stderr: (t) => (stderr += t), cwd: repo, env: {} };
    expect(await runCli(['check', '--base', 'mian'], io)).toBe(2);
    expect(stderr).toContain('--base mian: no branch, tag or commit of that name');
    expect(stderr).toContain('git branch -a');
    expect(stderr).not.toContain('unshallow');
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('tollgate check on a shallow clone', () => {
  it('exits 2 and says how to fetch the missing history', async () => {
    const shallow = mkdtempSync(join(tmpdir(), 'tollgate-shallow-'));
    try {
      execFileSync('git', ['clone', '-q', '--depth', '1', '--branch', 'good', `file://${repo}`, shallow]);
      let stderr = '';
      const io: CliIO = { stdout: () => {}, stderr: (t) => (stderr += t), cwd: shallow, env: {} };
      expect(await runCli(['check', '--base', 'origin/main'], io)).toBe(2);
      expect(stderr).toContain('--base origin/main: no branch, tag or commit of that name');
      expect(stderr).toContain('git fetch --unshallow origin main');
      expect(stderr.trim().split('\n')).toHaveLength(1);
    } finally {
      rmSync(shallow, { recursive: true, force: true });
    }
  });
});
