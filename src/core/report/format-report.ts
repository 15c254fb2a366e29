import { formatCodeQuality } from './format-code-quality.ts';
import { formatComment } from './format-comment.ts';
import { formatJson } from './format-json.ts';
import { formatJunit } from './format-junit.ts';
import { formatSarif } from './format-sarif.ts';
import { formatText } from './format-text.ts';
import type { Report } from './report.ts';

/** Every output format of `tollgate check` / `tollgate lint`. */
export const REPORT_FORMATS = ['markdown', 'json', 'sarif', 'junit', 'codequality', 'text'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function isReportFormat(value: string): value is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(value);
}

export interface FormatReportOptions {
  /** Checks that ran (JUnit shows a passing test case for each check without findings). */
  checks?: readonly string[];
  toolVersion?: string;
}

/** Renders a report in one of the formats; every format keeps each finding's file and line. */
export function formatReport(
  report: Report,
  format: ReportFormat,
  options: FormatReportOptions = {},
): string {
  switch (format) {
    case 'markdown':
      return `${formatComment(report)}\n`;
    case 'json':
      return formatJson(report);
    case 'sarif':
      return formatSarif(report, options.toolVersion ? { toolVersion: options.toolVersion } : {});
    case 'junit':
      return formatJunit(report, { checks: options.checks ?? report.checks ?? [] });
    case 'codequality':
      return formatCodeQuality(report);
    case 'text':
      return formatText(report);
  }
}
