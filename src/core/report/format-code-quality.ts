import { createHash } from 'node:crypto';
import type { Finding } from '../findings/finding.ts';
import type { Report } from './report.ts';

/** Severities GitLab's Code Quality widget knows. */
export type CodeQualitySeverity = 'info' | 'minor' | 'major' | 'critical' | 'blocker';

/** One entry of a GitLab Code Quality report (the Code Climate subset GitLab documents). */
export interface CodeQualityIssue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: CodeQualitySeverity;
  location: { path: string; lines: { begin: number; end?: number } };
}

export function codeQualitySeverity(finding: Finding): CodeQualitySeverity {
  if (finding.blocking) return finding.severity === 'error' ? 'blocker' : 'critical';
  if (finding.severity === 'error') return 'major';
  return finding.severity === 'warning' ? 'minor' : 'info';
}

/**
 * GitLab compares fingerprints between the base and the head report to tell new findings from
 * fixed ones, and keeps only the first entry of a repeated fingerprint. So the fingerprint hashes
 * what identifies the problem — check, rule, file, environment, objects, title — but not the line
 * (an edit above must not make an old problem look new), plus an occurrence counter so two equal
 * findings in one file stay two entries.
 */
function fingerprintOf(finding: Finding, seen: Map<string, number>): string {
  const key = [
    finding.check,
    finding.rule,
    finding.location?.file ?? '',
    finding.environment ?? '',
    (finding.objects ?? []).join(','),
    finding.title,
  ].join('\0');
  const occurrence = seen.get(key) ?? 0;
  seen.set(key, occurrence + 1);
  return createHash('sha256').update(`${key}\0${occurrence}`).digest('hex').slice(0, 32);
}

function describe(finding: Finding): string {
  const parts = [finding.title];
  if (finding.message && finding.message !== finding.title) parts.push(finding.message);
  if (finding.environment) parts.push(`(env ${finding.environment})`);
  return parts.join(' — ').replace(/\s*\r?\n\s*/g, ' ');
}

/**
 * The report as a GitLab Code Quality report (`artifacts:reports:codequality`): a JSON array with
 * description, check_name, fingerprint, severity and location {path, lines.begin} per finding.
 * A finding without a file is reported against `.` (GitLab requires a path). Pure.
 */
export function formatCodeQuality(report: Report): string {
  const seen = new Map<string, number>();
  const issues: CodeQualityIssue[] = report.findings.map((f) => {
    const begin = f.location?.line ?? 1;
    return {
      description: describe(f),
      check_name: `${f.check}/${f.rule}`,
      fingerprint: fingerprintOf(f, seen),
      severity: codeQualitySeverity(f),
      location: {
        path: f.location?.file ?? '.',
        lines:
          f.location?.endLine && f.location.endLine > begin ? { begin, end: f.location.endLine } : { begin },
      },
    };
  });
  return `${JSON.stringify(issues, null, 2)}\n`;
}
