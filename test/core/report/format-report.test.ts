import { describe, expect, it } from 'vitest';
import { formatReport, REPORT_FORMATS } from '../../../src/core/report/format-report.ts';
import { formatText } from '../../../src/core/report/format-text.ts';
import { sampleReport } from './sample-report.ts';

describe('formatReport', () => {
  it.each(REPORT_FORMATS)('keeps every finding file:line in %s', (format) => {
    const out = formatReport(sampleReport(), format);
    for (const [file, line] of [
      ['deploy/coffee.yaml', 12],
      ['routes/tea.yaml', 30],
      ['deploy/coffee.yaml', 90],
    ] as const) {
      expect(out).toContain(file);
      expect(out).toMatch(new RegExp(`\\b${line}\\b`));
    }
  });

  it('json carries verdict and counts', () => {
    const json = JSON.parse(formatReport(sampleReport(), 'json'));
    expect(json).toMatchObject({
      version: 1,
      verdict: 'fail',
      counts: { findings: 5, blocking: 2, errors: 2, warnings: 2, notices: 1 },
    });
    expect(json.findings[0].location).toEqual({ file: 'deploy/coffee.yaml', line: 12, column: 7 });
  });

  it('text prints compiler-style lines and a verdict', () => {
    const lines = formatText(sampleReport()).trimEnd().split('\n');
    expect(lines[0]).toMatch(/^deploy\/coffee\.yaml:12: error yaml\/yaml-syntax: /);
    expect(lines.at(-1)).toBe('tollgate: 3 files checked, 2 blocking problems, 3 warnings');
    expect(formatText(sampleReport([]))).toBe('tollgate: 3 files checked, nothing blocks\n');
  });
});
