import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../../../src/cli/cli-io.ts';
import { runDiffCommand } from '../../../src/cli/commands/diff-command.ts';
import { COFFEE_SHOP } from '../../core/render/read-fixture-tree.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const git = (repo: string, ...args: string[]) =>
  execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    encoding: 'utf8',
  });

/** A repository with the coffee-shop fixture committed as `base`, then `change` applied as `head`. */
function makeRepo(change: (root: string) => void, config?: string): string {
  const repo = mkdtempSync(join(tmpdir(), 'tollgate-diff-'));
  dirs.push(repo);
  cpSync(COFFEE_SHOP, repo, { recursive: true });
  if (config !== undefined) writeFileSync(join(repo, '.tollgate.yml'), config);
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'base');
  git(repo, 'tag', 'base');
  change(repo);
  git(repo, 'commit', '-qam', 'head');
  return repo;
}

function io(repo: string) {
  const out: string[] = [];
  const err: string[] = [];
  const cli: CliIO = {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    cwd: repo,
    env: { PATH: process.env.PATH, SECRET_TOKEN: 'x' },
  };
  return { cli, out: () => out.join(''), err: () => err.join('') };
}

const edit = (root: string, file: string, from: string, to: string) =>
  writeFileSync(join(root, file), readFileSync(join(root, file), 'utf8').replace(from, to));

describe('tollgate diff', () => {
  it('prints the per-environment diff as JSON, config read from the base', async () => {
    const repo = makeRepo((root) => {
      edit(root, 'overlays/production/kustomization.yaml', 'count: 3', 'count: 4');
      // A head that tries to drop production from the configuration changes nothing: config comes from base.
      writeFileSync(
        join(root, '.tollgate.yml'),
        'environments:\n  - name: staging\n    kustomize: overlays/staging\n',
      );
    });
    const { cli, out } = io(repo);
    expect(await runDiffCommand(['--base', 'base', '--head', 'HEAD', '--format', 'json'], cli)).toBe(0);
    const report = JSON.parse(out());
    expect(report.environments.map((e: { environment: string }) => e.environment)).toEqual([
      'staging',
      'production',
    ]);
    const production = report.environments[1];
    expect(production.counts).toEqual({ added: 0, changed: 1, removed: 0, unchanged: 5 });
    expect(production.resources[0].fields).toEqual([
      { path: 'spec.replicas', change: 'changed', before: 3, after: 4 },
    ]);
    expect(report.environments[0].counts.changed).toBe(0);
  });

  it('renders markdown for one environment and never prints secret values', async () => {
    const repo = makeRepo((root) =>
      edit(root, 'overlays/production/kustomization.yaml', 's3cr3t-base-value', 's3cr3t-head-value'),
    );
    const { cli, out } = io(repo);
    expect(
      await runDiffCommand(['--repo', repo, '--base', 'base', '--head', 'HEAD', '--env', 'production'], cli),
    ).toBe(0);
    expect(out()).toContain('| production | 0 | 1 | 0 | 5 |');
    expect(out()).toContain('`data.password`: `<redacted>` → `<redacted, changed>`');
    expect(out()).not.toContain('s3cr3t');
    expect(out()).not.toContain(Buffer.from('s3cr3t-head-value').toString('base64'));
  });

  it('discovers plain Kubernetes YAML when the base has no configuration', async () => {
    const repo = makeRepo(
      (root) => edit(root, 'plain/ingress.yaml', 'cafe.example.com', 'shop.example.com'),
      '',
    );
    rmSync(join(repo, '.tollgate.yml'));
    git(repo, 'commit', '-qam', 'drop config');
    const { cli, out } = io(repo);
    expect(await runDiffCommand(['--base', 'base', '--head', 'HEAD~1', '--format', 'json'], cli)).toBe(0);
    const [env] = JSON.parse(out()).environments;
    expect(env.environment).toBe('default');
    expect(env.resources[0].fields).toEqual([
      {
        path: 'spec.rules[0].host',
        change: 'changed',
        before: 'cafe.example.com',
        after: 'shop.example.com',
      },
    ]);
  });

  it('exits 2 on usage and configuration errors', async () => {
    const repo = makeRepo(
      (root) => edit(root, 'base/tea.yaml', 'replicas: 1', 'replicas: 2'),
      'environments:\n  - name: x\n    paht: y\n',
    );
    const bad = io(repo);
    expect(await runDiffCommand(['--base', 'base', '--head', 'HEAD'], bad.cli)).toBe(2);
    expect(bad.err()).toContain('.tollgate.yml:3');
    await expect(runDiffCommand(['--base', 'base'], io(repo).cli)).rejects.toThrow(
      '--base and --head are required',
    );
    await expect(runDiffCommand(['--base', 'nope', '--head', 'HEAD'], io(repo).cli)).rejects.toThrow(/nope/);
  });
});
