import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main.ts';
import { captureIo } from './capture-io.ts';

const tree = new URL('../../fixtures/lint/tree/', import.meta.url).pathname;
const scratch = mkdtempSync(join(tmpdir(), 'tollgate-lint-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('tollgate lint', () => {
  it('walks a directory, prints file:line errors and exits 1', async () => {
    const io = captureIo(tree);
    expect(await runCli(['lint'], io)).toBe(1);
    const lines = io.out().trimEnd().split('\n');
    expect(lines).toEqual([
      'nested/bad.yaml:3: error yaml/k8s-missing-name: metadata.name must be a non-empty string; found empty.',
      'nested/bad.yaml:5: error yaml/k8s-string-value: metadata.labels.version must be a string; found number 1.0 (quote it).',
      'nested/bad.yaml:8: error yaml/k8s-kind: kind must be a CamelCase string such as "Deployment", not number 3.',
      'nested/bad.yaml:24: error yaml/k8s-string-value: env PORT has value number 8080; env values must be strings (quote it).',
      'nested/dup.yml:2: error yaml/yaml-duplicate-key: Map keys must be unique',
      'tollgate: 5 files checked, 5 blocking problems',
    ]);
  });

  it('passes on clean files given by name and skips files that are not YAML (pre-commit passes all)', async () => {
    const io = captureIo(tree);
    expect(await runCli(['lint', 'ok.yaml', 'Chart.yaml', 'values.yml', 'notes.txt'], io)).toBe(0);
    expect(io.out()).toBe('tollgate: 3 files checked, nothing blocks\n');
  });

  it('writes several reports to files and still prints the summary', async () => {
    const io = captureIo(tree);
    const sarif = join(scratch, 'out', 'lint.sarif');
    const junit = join(scratch, 'out', 'lint.xml');
    const code = await runCli(
      ['lint', 'nested', '--format', 'sarif', '--output', sarif, '--format', 'junit', '--output', junit],
      io,
    );
    expect(code).toBe(1);
    expect(JSON.parse(readFileSync(sarif, 'utf8')).runs[0].results).toHaveLength(5);
    expect(XMLValidator.validate(readFileSync(junit, 'utf8'))).toBe(true);
    expect(io.out()).toContain('tollgate: 2 files checked, 5 blocking problems');
  });

  it('answers usage errors with exit 2', async () => {
    const io = captureIo(tree);
    expect(await runCli(['lint', '--format', 'pdf'], io)).toBe(2);
    expect(io.err()).toContain('--format must be one of');
    expect(await runCli(['lint', 'missing.yaml'], io)).toBe(2);
    expect(await runCli(['lint', '--format', 'json', '--format', 'sarif'], io)).toBe(2);
  });
});
