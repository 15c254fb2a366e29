import type { Report } from './report.ts';

/** Version of the JSON output's shape; bumped only when a field changes meaning or goes away. */
export const JSON_REPORT_VERSION = 1;

/**
 * The report as stable JSON for scripts: the verdict, counts by kind, and every finding with its
 * file and line exactly as the other renderers see them. Pure.
 */
export function formatJson(report: Report): string {
  const blocking = report.findings.filter((f) => f.blocking).length;
  const count = (severity: string) => report.findings.filter((f) => f.severity === severity).length;
  return `${JSON.stringify(
    {
      version: JSON_REPORT_VERSION,
      verdict: report.verdict,
      target: report.target,
      filesChecked: report.filesChecked,
      ...(report.checks ? { checks: report.checks } : {}),
      counts: {
        findings: report.findings.length,
        blocking,
        errors: count('error'),
        warnings: count('warning'),
        notices: count('notice'),
      },
      findings: report.findings,
      ...(report.stats ? { stats: report.stats } : {}),
    },
    null,
    2,
  )}\n`;
}
