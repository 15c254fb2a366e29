/**
 * Kyverno conformance for the newer kinds (ValidatingPolicy, MutatingPolicy, GeneratingPolicy,
 * ClusterPolicy mutate/generate, mocked context): runs every case folder of the `kyverno-next`
 * corpus through the same code as `tollgate test --strict`.
 *
 *   node bin/run.js test/conformance/run-kyverno-next-corpus.ts ../shared/corpus/kyverno-next \
 *     [--min N] [--known-gaps FILE] [--verbose]
 *
 * A case passes only when every expected row was evaluated and gave the expected result (a row
 * that is "excluded" or "not checked" fails) and every patchedResource/generatedResource equals
 * what the engine produced, compared as data. Prints one line per failing case, a score per kind
 * and a summary; exits non-zero when fewer than N cases pass or a failing case is not a known gap.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { findKyvernoTests, runKyvernoTestFile } from '../../src/cli/commands/test-command.ts';
import { readKnownGaps } from './read-known-gaps.ts';

/** The kind of a case, from its folder (`*-vpol/`, `*-mpol/`, `*-gpol/`, else classic). */
function kindOf(caseId: string): string {
  const top = caseId.split(path.sep)[0] ?? '';
  const suffix = /-(vpol|mpol|gpol|ivpol|dpol)$/.exec(top)?.[1];
  return suffix ?? 'classic';
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      min: { type: 'string' },
      'known-gaps': { type: 'string' },
      verbose: { type: 'boolean', default: false },
    },
  });
  const corpus = positionals[0];
  if (!corpus) {
    process.stderr.write('usage: run-kyverno-next-corpus.ts <corpus-dir> [--min N] [--known-gaps FILE]\n');
    return 2;
  }
  const root = path.resolve(corpus);
  const gaps = await readKnownGaps(values['known-gaps']);
  const tests = await findKyvernoTests([root]);
  const perKind = new Map<string, { passed: number; total: number }>();
  const unexpected: string[] = [];
  const seen = new Set<string>();
  let passed = 0;
  let gapCount = 0;
  for (const test of tests) {
    const caseId = path.relative(root, path.dirname(path.dirname(test)));
    seen.add(caseId);
    const kind = kindOf(caseId);
    const score = perKind.get(kind) ?? { passed: 0, total: 0 };
    perKind.set(kind, score);
    score.total++;
    const report = await runKyvernoTestFile(test, true);
    // Strict: a row passes only when it was evaluated and gave the expected result.
    const bad = report.rows.filter((r) => !r.ok || r.actual !== r.expected);
    const blocking = report.findings.filter((f) => f.blocking);
    // A case without result rows passes when every policy evaluated on every resource without an
    // error (runKyvernoTest reports such errors as blocking findings).
    const evaluated = report.rows.length > 0 ? report.ok : true;
    if (evaluated && bad.length === 0 && blocking.length === 0) {
      passed++;
      score.passed++;
      if (gaps.has(caseId)) process.stdout.write(`FIXED ${caseId}: remove it from the known gaps\n`);
      continue;
    }
    const gap = gaps.get(caseId);
    if (gap) gapCount++;
    else unexpected.push(caseId);
    const detail = bad
      .slice(0, values.verbose ? bad.length : 3)
      .map(
        (r) =>
          `${r.rule || '-'}/${r.resource}: want ${r.expected} got ${r.actual}${r.message ? ` (${r.message.replace(/\s+/g, ' ').slice(0, values.verbose ? 2000 : 200)})` : ''}`,
      )
      .join('; ');
    const extra = blocking.map((f) => f.message).join('; ');
    const empty = report.rows.length === 0 ? 'no result rows' : '';
    process.stdout.write(
      `MISMATCH ${caseId}${gap ? ' [known gap]' : ''}: ${[detail, extra, empty].filter(Boolean).join(' | ')}\n`,
    );
  }
  for (const id of gaps.keys()) {
    if (!seen.has(id)) process.stdout.write(`STALE known gap ${id}: no such case in the corpus\n`);
  }
  const kinds = [...perKind.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, s]) => `${k} ${s.passed}/${s.total}`)
    .join(', ');
  process.stdout.write(
    `kyverno-next conformance: ${passed}/${tests.length} cases pass (${kinds}; ${gapCount} known gaps, ${unexpected.length} unexpected)\n`,
  );
  const min = values.min ? Number(values.min) : 0;
  if (passed < min) {
    process.stdout.write(`kyverno-next conformance: below the minimum of ${min} passing cases\n`);
    return 1;
  }
  return unexpected.length > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exitCode = 2;
  },
);
