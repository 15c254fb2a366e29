import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIO } from '../../../src/cli/cli-io.ts';
import { runTestCommand } from '../../../src/cli/commands/test-command.ts';

function io(cwd: string) {
  const out: string[] = [];
  const cli: CliIO = { stdout: (t) => out.push(t), stderr: (t) => out.push(t), cwd, env: {} };
  return { cli, text: () => out.join('') };
}

function writeCase(dir: string, expected: string) {
  mkdirSync(path.join(dir, 'p', '.kyverno-test'), { recursive: true });
  writeFileSync(
    path.join(dir, 'p', 'p.yaml'),
    `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: {name: p}
spec:
  rules:
    - name: r
      match: {any: [{resources: {kinds: [Pod]}}]}
      validate:
        pattern: {metadata: {labels: {team: "?*"}}}
    - name: only-deployments
      match: {any: [{resources: {kinds: [Deployment]}}]}
      validate:
        pattern: {metadata: {labels: {team: "?*"}}}
`,
  );
  writeFileSync(
    path.join(dir, 'p', '.kyverno-test', 'resource.yaml'),
    `apiVersion: v1
kind: Pod
metadata: {name: nolabel}
spec: {containers: [{name: a, image: a:1}]}
`,
  );
  writeFileSync(
    path.join(dir, 'p', '.kyverno-test', 'kyverno-test.yaml'),
    `apiVersion: cli.kyverno.io/v1alpha1
kind: Test
metadata: {name: t}
policies: [../p.yaml]
resources: [resource.yaml]
results:
  - {policy: p, rule: r, resources: [nolabel], kind: Pod, result: ${expected}}
  - {policy: p, rule: only-deployments, resources: [nolabel], kind: Pod, result: pass}
`,
  );
}

describe('tollgate test', () => {
  it('finds tests in dot-folders and exits 0 when every row matches (excluded rows pass)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tollgate-test-'));
    writeCase(dir, 'fail');
    const { cli, text } = io(dir);
    expect(await runTestCommand([], cli)).toBe(0);
    expect(text()).toContain('Excluded');
    expect(text()).toContain('2/2 results as expected');
  });

  it('exits 1 on a mismatch, and --strict fails excluded rows', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tollgate-test-'));
    writeCase(dir, 'pass');
    const { cli } = io(dir);
    expect(await runTestCommand(['.'], cli)).toBe(1);
    const dir2 = mkdtempSync(path.join(tmpdir(), 'tollgate-test-'));
    writeCase(dir2, 'fail');
    const strict = io(dir2);
    expect(await runTestCommand(['--strict', '--format', 'json'], strict.cli)).toBe(1);
    const json = JSON.parse(strict.text());
    expect(json.tests[0].rows.map((r: { actual: string }) => r.actual)).toEqual(['fail', 'excluded']);
  });
});
