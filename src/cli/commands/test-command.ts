import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parsePlainYaml as parseYaml } from '../../core/manifests/parse-plain-yaml.ts';
import type { PolicyFile } from '../../core/policy/load-policies.ts';
import { type KyvernoTestReport, runKyvernoTest } from '../../core/policy/run-kyverno-test.ts';
import { type CliIO, EXIT_BLOCKING, EXIT_PASS, EXIT_USAGE } from '../cli-io.ts';

const HELP = `usage: tollgate test [PATH...] [--strict] [--detailed-results] [--format text|json]

Runs Kyverno CLI test manifests (kyverno-test.yaml, also inside .kyverno-test/ folders) found
under each PATH (default: .) with Tollgate's policy engine, and compares every expected result.
Exits 0 when every row matches, 1 otherwise.

  --strict             fail rows whose rule never matched the resource (Kyverno reports them
                       as "excluded" and counts them as passing)
  --detailed-results   print the evaluation message of every row
  --format json        machine-readable output
`;

const TEST_FILE = /^kyverno-test\.ya?ml$/;
const SKIP_DIRS = new Set(['.git', 'node_modules']);

/** kyverno-test.yaml files under the paths, dot-folders included, in a stable order. */
export async function findKyvernoTests(paths: string[]): Promise<string[]> {
  const found: string[] = [];
  const walk = async (p: string): Promise<void> => {
    const s = await stat(p);
    if (s.isFile()) {
      found.push(p);
      return;
    }
    const entries = await readdir(p, { withFileTypes: true });
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(p, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) await walk(full);
      } else if (TEST_FILE.test(e.name)) found.push(full);
    }
  };
  for (const p of paths) await walk(p);
  return found;
}

async function readYamlFiles(ref: string, base: string): Promise<PolicyFile[]> {
  const full = path.resolve(base, ref);
  const s = await stat(full);
  if (s.isFile()) return [{ path: full, content: await readFile(full, 'utf8') }];
  const out: PolicyFile[] = [];
  for (const e of await readdir(full, { withFileTypes: true })) {
    if (e.isFile() && /\.ya?ml$/.test(e.name)) out.push(...(await readYamlFiles(e.name, full)));
  }
  return out;
}

async function readList(refs: unknown, base: string, errors: string[]): Promise<PolicyFile[]> {
  const out: PolicyFile[] = [];
  for (const ref of Array.isArray(refs) ? refs : []) {
    try {
      out.push(...(await readYamlFiles(String(ref), base)));
    } catch (error) {
      errors.push(`cannot read ${ref}: ${(error as Error).message}`);
    }
  }
  return out;
}

const COMPARED_KEYS = new Set([
  'patchedresource',
  'patchedresources',
  'generatedresource',
  'generatedresources',
  'clonesourceresource',
]);

/** The files result rows compare with, keyed by the path as the test wrote it. */
async function readComparedFiles(results: unknown, base: string, errors: string[]): Promise<PolicyFile[]> {
  const refs = new Set<string>();
  for (const row of Array.isArray(results) ? results : []) {
    if (!row || typeof row !== 'object') continue;
    for (const [k, v] of Object.entries(row as Record<string, unknown>)) {
      if (COMPARED_KEYS.has(k.toLowerCase()) && typeof v === 'string' && v) refs.add(v);
    }
  }
  const out: PolicyFile[] = [];
  for (const ref of refs) {
    try {
      out.push({ path: ref, content: await readFile(path.resolve(base, ref), 'utf8') });
    } catch (error) {
      errors.push(`cannot read ${ref}: ${(error as Error).message}`);
    }
  }
  return out;
}

/** Reads a kyverno-test.yaml and the files it names, then runs it. */
export async function runKyvernoTestFile(testPath: string, strict = false): Promise<KyvernoTestReport> {
  const base = path.dirname(testPath);
  const errors: string[] = [];
  let test: Record<string, unknown> = {};
  try {
    const parsed = parseYaml(await readFile(testPath, 'utf8'));
    if (parsed && typeof parsed === 'object') test = parsed as Record<string, unknown>;
  } catch (error) {
    errors.push(`cannot parse ${testPath}: ${(error as Error).message}`);
  }
  const policyFiles = await readList(test.policies, base, errors);
  const resourceFiles = await readList(test.resources, base, errors);
  const variables = typeof test.variables === 'string' ? test.variables : undefined;
  const valuesFiles = variables ? await readList([variables], base, errors) : [];
  const userInfo = typeof test.userinfo === 'string' ? test.userinfo : undefined;
  const userInfoFiles = userInfo ? await readList([userInfo], base, errors) : [];
  const context = typeof test.context === 'string' ? test.context : undefined;
  const contextFiles = context ? await readList([context], base, errors) : [];
  const comparedFiles = await readComparedFiles(test.results, base, errors);
  const exceptionFiles = await readList(test.exceptions, base, errors);
  const report = runKyvernoTest({
    testPath,
    test,
    policyFiles,
    resourceFiles,
    strict,
    comparedFiles,
    exceptionFiles,
    ...(valuesFiles[0] ? { valuesFile: valuesFiles[0] } : {}),
    ...(userInfoFiles[0] ? { userInfoFile: userInfoFiles[0] } : {}),
    ...(contextFiles[0] ? { contextFile: contextFiles[0] } : {}),
  });
  for (const message of errors) {
    report.findings.push({
      check: 'policy',
      rule: 'kyverno-test',
      severity: 'error',
      blocking: true,
      title: `Cannot run ${testPath}`,
      message,
      location: { file: testPath },
    });
  }
  if (errors.length > 0) report.ok = false;
  return report;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export async function runTestCommand(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      strict: { type: 'boolean', default: false },
      'detailed-results': { type: 'boolean', default: false },
      format: { type: 'string', default: 'text' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.stdout(HELP);
    return EXIT_PASS;
  }
  if (values.format !== 'text' && values.format !== 'json') {
    io.stderr(`tollgate test: --format must be text or json, not '${values.format}'\n`);
    return EXIT_USAGE;
  }
  const roots = (positionals.length ? positionals : ['.']).map((p) => path.resolve(io.cwd, p));
  let files: string[];
  try {
    files = await findKyvernoTests(roots);
  } catch (error) {
    io.stderr(`tollgate test: ${(error as Error).message}\n`);
    return EXIT_USAGE;
  }
  if (files.length === 0) {
    io.stderr('tollgate test: no kyverno-test.yaml found\n');
    return EXIT_USAGE;
  }
  const reports: (KyvernoTestReport & { file: string })[] = [];
  for (const file of files) {
    reports.push({ ...(await runKyvernoTestFile(file, values.strict)), file: path.relative(io.cwd, file) });
  }
  const ok = reports.every((r) => r.ok);
  if (values.format === 'json') {
    io.stdout(`${JSON.stringify({ ok, tests: reports }, null, 2)}\n`);
    return ok ? EXIT_PASS : EXIT_BLOCKING;
  }
  let rowsTotal = 0;
  let rowsOk = 0;
  for (const report of reports) {
    io.stdout(`\n${report.file} (${report.name})\n`);
    const header = ['#', 'POLICY', 'RULE', 'RESOURCE', 'EXPECTED', 'ACTUAL', 'RESULT'];
    if (values['detailed-results']) header.push('MESSAGE');
    const body = report.rows.map((r, i) => {
      const cells = [
        String(i + 1),
        r.policy,
        r.evaluatedRule && r.evaluatedRule !== r.rule ? `${r.rule} (${r.evaluatedRule})` : r.rule,
        r.kind ? `${r.kind}/${r.resource}` : r.resource,
        r.expected,
        r.actual,
        r.ok ? (r.actual === 'excluded' ? 'Excluded' : 'Pass') : 'Fail',
      ];
      if (values['detailed-results']) cells.push(r.message.replace(/\s+/g, ' '));
      return cells;
    });
    io.stdout(`${table([header, ...body])}\n`);
    for (const f of report.findings) io.stdout(`  ! ${f.message}\n`);
    rowsTotal += report.rows.length;
    rowsOk += report.rows.filter((r) => r.ok).length;
  }
  const failedTests = reports.filter((r) => !r.ok).length;
  io.stdout(
    `\nTest summary: ${rowsOk}/${rowsTotal} results as expected, ${reports.length - failedTests}/${reports.length} test files OK\n`,
  );
  return ok ? EXIT_PASS : EXIT_BLOCKING;
}
