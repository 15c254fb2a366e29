import type { Report } from './report.ts';

/** Title and one-paragraph summary for the check run / commit status description. */
export function formatCheckSummary(report: Report): { title: string; summary: string } {
  const blocking = report.findings.filter((f) => f.blocking).length;
  const warnings = report.findings.length - blocking;
  const title =
    report.verdict === 'pass'
      ? warnings
        ? `Passed with ${warnings} warning${warnings === 1 ? '' : 's'}`
        : 'All checks passed'
      : `${blocking} blocking problem${blocking === 1 ? '' : 's'}`;
  const summary = report.findings
    .slice(0, 20)
    .map((f) => `- ${f.blocking ? '⛔' : '⚠️'} ${f.title}`)
    .join('\n');
  return { title, summary: summary || 'Nothing to report.' };
}
