import { formatCodeQuality } from './format-code-quality.ts';
import { formatComment } from './format-comment.ts';
import { formatJson } from './format-json.ts';
import { formatJunit } from './format-junit.ts';
import { formatSarif } from './format-sarif.ts';
import { formatText } from './format-text.ts';
import type { Report } from './report.ts';

import type { ReportFormat } from './report-format.ts';

export { isReportFormat, REPORT_FORMATS, type ReportFormat } from './report-format.ts';

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
