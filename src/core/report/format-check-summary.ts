import { groupFindingsByCause } from './group-findings-by-cause.ts';
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
  // One line per cause (a base file failing in staging and production is one thing to fix).
  const summary = groupFindingsByCause(report.findings)
    .slice(0, 20)
    .map(
      (g) =>
        `- ${g.finding.blocking ? '⛔' : '⚠️'} ${g.finding.title}${g.environments.length > 1 ? ` (${g.environments.join(', ')})` : ''}`,
    )
    .join('\n');
  return { title, summary: summary || 'Nothing to report.' };
}
