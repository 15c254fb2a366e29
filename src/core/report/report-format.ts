/** Every output format of `tollgate check` / `tollgate lint` (apart from the formatters, which are heavier to load). */
export const REPORT_FORMATS = ['markdown', 'json', 'sarif', 'junit', 'codequality', 'text'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function isReportFormat(value: string): value is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(value);
}
