import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main.ts';
import { captureIo } from './capture-io.ts';

let repo: string;
const git = (...args: string[]) =>
  execFileSync('git', args, {
    cwd: repo,
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.com',
    },
  });

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'tollgate-check-'));
  git('init', '-q', '-b', 'main');
  mkdirSync(join(repo, 'deploy'));
  writeFileSync(
    join(repo, 'deploy/coffee.yaml'),
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: coffee\n',
  );
  git('add', '.');
  git('commit', '-qm', 'base');
  git('checkout', '-qb', 'change');
  writeFileSync(
    join(repo, 'deploy/tea.yaml'),
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: tea\n  name: tea2\n',
  );
  git('add', '.');
  git('commit', '-qm', 'broken change');
});
afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe('tollgate check --format', () => {
  it('writes SARIF, JUnit and Code Quality reports that keep file and line, and exits 1', async () => {
    const io = captureIo(repo);
    const code = await runCli(
      [
        'check',
        '--base',
        'main',
        '--format',
        'sarif',
        '--output',
        'reports/tollgate.sarif',
        '--format',
        'junit',
        '--output',
        'reports/junit.xml',
        '--format',
        'codequality',
        '--output',
        'reports/gl-code-quality.json',
      ],
      io,
    );
    expect(io.err()).toBe('');
    expect(code).toBe(1);
    expect(io.out()).toMatch(/^deploy\/tea\.yaml:5: error yaml\/yaml-duplicate-key: /);
    const sarif = JSON.parse(readFileSync(join(repo, 'reports/tollgate.sarif'), 'utf8'));
    expect(sarif.runs[0].results[0].locations[0].physicalLocation).toMatchObject({
      artifactLocation: { uri: 'deploy/tea.yaml' },
      region: { startLine: 5 },
    });
    const junit = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(
      readFileSync(join(repo, 'reports/junit.xml'), 'utf8'),
    );
    // One suite per check that ran; the yaml suite holds the finding, the others pass.
    const suites = junit.testsuites.testsuite as { name: string; failures: string; testcase: unknown }[];
    expect(suites.map((s) => s.name)).toEqual(expect.arrayContaining(['yaml', 'render', 'routes', 'config']));
    const yaml = suites.find((s) => s.name === 'yaml')!;
    expect(yaml.failures).toBe('1');
    expect(yaml.testcase).toMatchObject({ file: 'deploy/tea.yaml', line: '5' });
    expect(suites.find((s) => s.name === 'routes')!.failures).toBe('0');
    const quality = JSON.parse(readFileSync(join(repo, 'reports/gl-code-quality.json'), 'utf8'));
    expect(quality[0]).toMatchObject({
      check_name: 'yaml/yaml-duplicate-key',
      severity: 'blocker',
      location: { path: 'deploy/tea.yaml', lines: { begin: 5 } },
    });
  });

  it('prints one format to standard output and exits 0 when nothing blocks', async () => {
    const io = captureIo(repo);
    expect(await runCli(['check', '--base', 'main', '--head', 'main', '--format', 'json'], io)).toBe(0);
    expect(JSON.parse(io.out())).toMatchObject({ verdict: 'pass', counts: { findings: 0 } });
  });

  it('rejects an unknown format with exit 2', async () => {
    const io = captureIo(repo);
    expect(await runCli(['check', '--base', 'main', '--format', 'xml'], io)).toBe(2);
    expect(io.err()).toContain('--format must be one of markdown, json, sarif, junit, codequality, text');
  });
});
