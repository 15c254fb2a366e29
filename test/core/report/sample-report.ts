import type { Finding } from '../../../src/core/findings/finding.ts';
import { buildReport, type Report } from '../../../src/core/report/report.ts';

/** Findings with the awkward parts real reports have: markup characters, no line, no file, repeats. */
export const SAMPLE_FINDINGS: Finding[] = [
  {
    check: 'yaml',
    rule: 'yaml-syntax',
    severity: 'error',
    blocking: true,
    title: 'YAML syntax error in deploy/coffee.yaml',
    message: 'deploy/coffee.yaml:12: Nested mappings are not allowed in compact mappings <here> & "there"',
    remedy: 'Fix the file so that it is valid YAML.',
    location: { file: 'deploy/coffee.yaml', line: 12, column: 7 },
  },
  {
    check: 'routes',
    rule: 'duplicate-match',
    severity: 'error',
    blocking: true,
    title: "HTTPRoutes 'tea' and 'tea-v2' both match /tea",
    message: 'Both routes match path /tea with header version=v2; the gateway picks one \u0007silently.',
    location: { file: 'routes/tea.yaml', line: 30, endLine: 41 },
    environment: 'production',
    objects: ['HTTPRoute/tea/tea', 'HTTPRoute/tea/tea-v2'],
  },
  {
    check: 'policy',
    rule: 'require-probes/readiness',
    severity: 'warning',
    blocking: false,
    title: 'Deployment coffee has no readiness probe',
    message: 'Container coffee in Deployment/coffee/coffee has no readinessProbe.',
    location: { file: 'deploy/coffee.yaml', line: 40 },
    environment: 'staging',
  },
  {
    check: 'policy',
    rule: 'require-probes/readiness',
    severity: 'warning',
    blocking: false,
    title: 'Deployment coffee has no readiness probe',
    message: 'Container coffee in Deployment/coffee/coffee has no readinessProbe.',
    location: { file: 'deploy/coffee.yaml', line: 90 },
    environment: 'staging',
  },
  {
    check: 'config',
    rule: 'unknown-environment',
    severity: 'notice',
    blocking: false,
    title: 'Environment qa is not configured',
    message: 'The environment qa appears in an overlay but not in .tollgate.yaml.',
  },
];

export function sampleReport(findings: Finding[] = SAMPLE_FINDINGS): Report {
  return buildReport(
    { baseSha: 'a'.repeat(40), headSha: 'b'.repeat(40), headRef: 'feature/tea' },
    findings,
    3,
  );
}
