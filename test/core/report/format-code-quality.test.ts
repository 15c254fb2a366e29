import { describe, expect, it } from 'vitest';
import { formatCodeQuality } from '../../../src/core/report/format-code-quality.ts';
import { SAMPLE_FINDINGS, sampleReport } from './sample-report.ts';

const SEVERITIES = ['info', 'minor', 'major', 'critical', 'blocker'];

describe('formatCodeQuality', () => {
  it('emits the fields GitLab documents, for every finding', () => {
    const issues = JSON.parse(formatCodeQuality(sampleReport()));
    expect(Array.isArray(issues)).toBe(true);
    expect(issues).toHaveLength(SAMPLE_FINDINGS.length);
    for (const issue of issues) {
      expect(typeof issue.description).toBe('string');
      expect(issue.description.length).toBeGreaterThan(0);
      expect(issue.check_name).toMatch(/^[a-z]+\/.+/);
      expect(issue.fingerprint).toMatch(/^[0-9a-f]{32}$/);
      expect(SEVERITIES).toContain(issue.severity);
      expect(typeof issue.location.path).toBe('string');
      expect(Number.isInteger(issue.location.lines.begin)).toBe(true);
      expect(issue.location.lines.begin).toBeGreaterThanOrEqual(1);
    }
  });

  it('keeps file and line, and maps severities', () => {
    const issues = JSON.parse(formatCodeQuality(sampleReport()));
    expect(issues[0]).toMatchObject({
      check_name: 'yaml/yaml-syntax',
      severity: 'blocker',
      location: { path: 'deploy/coffee.yaml', lines: { begin: 12 } },
    });
    expect(issues[1].location).toEqual({ path: 'routes/tea.yaml', lines: { begin: 30, end: 41 } });
    expect(issues.slice(2, 4).map((i: { severity: string }) => i.severity)).toEqual(['minor', 'minor']);
    expect(issues[4]).toMatchObject({ severity: 'info', location: { path: '.', lines: { begin: 1 } } });
  });

  it('gives unique fingerprints, stable across runs and line shifts', () => {
    const first = JSON.parse(formatCodeQuality(sampleReport()));
    const fingerprints = first.map((i: { fingerprint: string }) => i.fingerprint);
    expect(new Set(fingerprints).size).toBe(fingerprints.length);
    const again = JSON.parse(formatCodeQuality(sampleReport()));
    expect(again.map((i: { fingerprint: string }) => i.fingerprint)).toEqual(fingerprints);
    const shifted = SAMPLE_FINDINGS.map((f) =>
      f.location?.line ? { ...f, location: { ...f.location, line: f.location.line + 5 } } : f,
    );
    const moved = JSON.parse(formatCodeQuality(sampleReport(shifted)));
    expect(moved.map((i: { fingerprint: string }) => i.fingerprint)).toEqual(fingerprints);
  });

  it('renders an empty report as an empty array', () => {
    expect(JSON.parse(formatCodeQuality(sampleReport([])))).toEqual([]);
  });
});
