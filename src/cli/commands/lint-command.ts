import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { isReportFormat, REPORT_FORMATS } from '../../core/report/format-report.ts';
import { buildReport } from '../../core/report/report.ts';
import { isYamlPath, type TextFile } from '../../core/review/check-yaml-files.ts';
import { lintYamlFiles } from '../../core/review/lint-yaml-files.ts';
import { type CliIO, EXIT_BLOCKING, EXIT_PASS, UsageError } from '../cli-io.ts';
import { writeReports } from './write-reports.ts';

const HELP = `usage: tollgate lint [PATH...] [--format FMT] [--output FILE]

Runs the YAML checks alone, fast, on files and directories (default: the current directory):
syntax, duplicate keys, and the Kubernetes shape of each object (string apiVersion and kind,
metadata.name, string label, annotation and env values). Meant for a pre-commit hook.
Exits 1 when an error is found, 0 otherwise, 2 on usage errors.

  --format FMT    ${REPORT_FORMATS.join(', ')} (default: text); repeat with --output for several
  --output FILE   write the report to FILE instead of standard output (one per --format)
`;

/** Directories never worth walking into. */
const SKIPPED_DIRS = new Set(['.git', 'node_modules', 'dist', '.tollgate-cache']);

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

async function collectYamlPaths(root: string, path: string, out: string[]): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new UsageError(`${relative(root, path) || path}: no such file or directory`);
  if (info.isFile()) {
    out.push(path);
    return;
  }
  if (!info.isDirectory()) return;
  const entries = await readdir(path, { withFileTypes: true });
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) await collectYamlPaths(root, child, out);
    } else if (entry.isFile() && isYamlPath(entry.name)) {
      out.push(child);
    }
  }
}

export async function runLintCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      format: { type: 'string', multiple: true },
      output: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: true,
  });
  if (values.help) {
    io.stdout(HELP);
    return EXIT_PASS;
  }
  const formats = values.format ?? ['text'];
  for (const format of formats) {
    if (!isReportFormat(format))
      throw new UsageError(`--format must be one of ${REPORT_FORMATS.join(', ')}, not '${format}'`);
  }
  const paths: string[] = [];
  for (const given of positionals.length ? positionals : ['.']) {
    await collectYamlPaths(io.cwd, resolve(io.cwd, given), paths);
  }
  const files: TextFile[] = [];
  for (const path of [...new Set(paths)]) {
    // Files named explicitly (pre-commit passes every staged file) are linted only when they are YAML.
    if (!isYamlPath(path)) continue;
    files.push({ path: toPosix(relative(io.cwd, path)), content: new Uint8Array(await readFile(path)) });
  }
  const report = buildReport({ headSha: 'working-tree' }, lintYamlFiles(files), files.length);
  await writeReports(report, formats.filter(isReportFormat), values.output ?? [], io, { checks: ['yaml'] });
  return report.verdict === 'pass' ? EXIT_PASS : EXIT_BLOCKING;
}
