import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import {
  type FormatReportOptions,
  formatReport,
  type ReportFormat,
} from '../../core/report/format-report.ts';
import type { Report } from '../../core/report/report.ts';
import { type CliIO, UsageError } from '../cli-io.ts';

/**
 * Writes one report per `--format`: to the matching `--output` file, or to standard output when
 * there is a single format and no file. When every report goes to a file, standard output still
 * gets the short text form, so a CI log shows what was found.
 */
export async function writeReports(
  report: Report,
  formats: readonly ReportFormat[],
  outputs: readonly string[],
  io: CliIO,
  options: FormatReportOptions = {},
): Promise<void> {
  if (outputs.length === 0) {
    if (formats.length > 1) throw new UsageError('several --format values need one --output FILE each');
    io.stdout(formatReport(report, formats[0]!, options));
    return;
  }
  if (outputs.length !== formats.length) {
    throw new UsageError(
      `got ${formats.length} --format and ${outputs.length} --output: give one --output FILE per --format`,
    );
  }
  for (const [i, format] of formats.entries()) {
    const path = resolve(io.cwd, outputs[i]!);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, formatReport(report, format, options));
  }
  io.stdout(formatReport(report, 'text', options));
}
