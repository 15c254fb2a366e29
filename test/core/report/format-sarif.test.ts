import { readFileSync } from 'node:fs';
import AjvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { formatSarif } from '../../../src/core/report/format-sarif.ts';
import { SAMPLE_FINDINGS, sampleReport } from './sample-report.ts';

const schema = JSON.parse(
  readFileSync(new URL('../../fixtures/schemas/sarif-2.1.0-rtm.5.json', import.meta.url), 'utf8'),
);
// The official schema's `language` pattern is not valid in unicode mode, hence unicodeRegExp: false.
// Both are CommonJS modules whose class/function sits on `.default`.
const Ajv = AjvDraft04.default;
const addFormats = ajvFormats.default;
const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(schema);

describe('formatSarif', () => {
  it('produces a log that validates against the official SARIF 2.1.0 schema', () => {
    const log = JSON.parse(formatSarif(sampleReport(), { toolVersion: '1.2.3' }));
    const valid = validate(log);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    expect(log.runs[0].tool.driver.name).toBe('tollgate');
    expect(log.runs[0].tool.driver.semanticVersion).toBe('1.2.3');
  });

  it('uses a schema that rejects what code scanning would reject', () => {
    const log = JSON.parse(formatSarif(sampleReport()));
    log.runs[0].results[0].level = 'blocking';
    delete log.runs[0].tool.driver.name;
    expect(validate(log)).toBe(false);
  });

  it('validates an empty report too', () => {
    expect(validate(JSON.parse(formatSarif(sampleReport([]))))).toBe(true);
  });

  it('declares each rule once and points every result at its rule', () => {
    const run = JSON.parse(formatSarif(sampleReport())).runs[0];
    const ids = run.tool.driver.rules.map((r: { id: string }) => r.id);
    expect(ids).toEqual([
      'yaml/yaml-syntax',
      'routes/duplicate-match',
      'policy/require-probes/readiness',
      'config/unknown-environment',
    ]);
    expect(run.results).toHaveLength(SAMPLE_FINDINGS.length);
    for (const result of run.results) {
      expect(ids[result.ruleIndex]).toBe(result.ruleId);
    }
  });

  it('keeps levels, file and line of every finding', () => {
    const results = JSON.parse(formatSarif(sampleReport())).runs[0].results;
    const syntax = results.find((r: { ruleId: string }) => r.ruleId === 'yaml/yaml-syntax');
    expect(syntax.level).toBe('error');
    expect(syntax.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'deploy/coffee.yaml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 12, startColumn: 7 },
    });
    expect(syntax.message.text).toContain('<here> & "there"');
    const route = results.find((r: { ruleId: string }) => r.ruleId === 'routes/duplicate-match');
    expect(route.locations[0].physicalLocation.region).toEqual({ startLine: 30, endLine: 41 });
    expect(route.message.text).toContain('Environment: production.');
    const warnings = results.filter((r: { level: string }) => r.level === 'warning');
    expect(
      warnings.map(
        (w: { locations: { physicalLocation: { region: { startLine: number } } }[] }) =>
          w.locations[0]!.physicalLocation.region.startLine,
      ),
    ).toEqual([40, 90]);
    const notice = results.find((r: { ruleId: string }) => r.ruleId === 'config/unknown-environment');
    expect(notice.level).toBe('note');
    expect(notice.locations).toBeUndefined();
  });

  it('percent-encodes paths that are not valid URI characters', () => {
    const log = JSON.parse(
      formatSarif(
        sampleReport([{ ...SAMPLE_FINDINGS[0]!, location: { file: 'deploy/my app/ü.yaml', line: 3 } }]),
      ),
    );
    expect(validate(log)).toBe(true);
    expect(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe(
      'deploy/my%20app/%C3%BC.yaml',
    );
  });
});
