import { renderCodeQuality } from './format-code-quality.ts';
import { renderComment } from './format-comment.ts';
import { renderJson } from './format-json.ts';
import { renderJunit } from './format-junit.ts';
import { renderSarif } from './format-sarif.ts';
import { renderText } from './format-text.ts';
import type { Report } from './report.ts';

/** Every output format of `tollgate check` / `tollgate lint`. */
export const REPORT_FORMATS = ['markdown', 'json', 'sarif', 'junit', 'codequality', 'text'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function isReportFormat(value: string): value is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(value);
}

export interface RenderReportOptions {
  /** Checks that ran (JUnit shows a passing test case for each check without findings). */
  checks?: readonly string[];
  toolVersion?: string;
}

/** Renders a report in one of the formats; every format keeps each finding's file and line. */
export function renderReport(
  report: Report,
  format: ReportFormat,
  options: RenderReportOptions = {},
): string {
  switch (format) {
    case 'markdown':
      return `${renderComment(report)}\n`;
    case 'json':
      return renderJson(report);
    case 'sarif':
      return renderSarif(report, options.toolVersion ? { toolVersion: options.toolVersion } : {});
    case 'junit':
      return renderJunit(report, { checks: options.checks ?? report.checks ?? [] });
    case 'codequality':
      return renderCodeQuality(report);
    case 'text':
      return renderText(report);
  }
}
