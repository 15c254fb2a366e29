/**
 * Kyverno conformance: runs every case folder of a `kyverno test` corpus through the same code
 * as `tollgate test` and compares with the expected results.
 *
 *   npx tsx test/conformance/run-kyverno-corpus.ts ../shared/corpus/kyverno [--min N] [--known-gaps FILE]
 *
 * Prints one line per failing case and a summary; exits non-zero when fewer than N cases match
 * or a failing case is not listed in the known-gaps file.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { findKyvernoTests, runKyvernoTestFile } from '../../src/cli/commands/test-command.ts';
import { readKnownGaps } from './read-known-gaps.ts';

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
    process.stderr.write('usage: run-kyverno-corpus.ts <corpus-dir> [--min N] [--known-gaps FILE]\n');
    return 2;
  }
  const gaps = await readKnownGaps(values['known-gaps']);
  const tests = await findKyvernoTests([path.resolve(corpus)]);
  let matched = 0;
  const unexpected: string[] = [];
  let gapCount = 0;
  for (const test of tests) {
    const caseId = path.relative(path.resolve(corpus), path.dirname(test));
    const report = await runKyvernoTestFile(test);
    if (report.ok) {
      matched++;
      continue;
    }
    const bad = report.rows.filter((r) => !r.ok);
    const gap = gaps.get(caseId);
    if (gap) gapCount++;
    else unexpected.push(caseId);
    const detail = bad
      .slice(0, values.verbose ? bad.length : 3)
      .map(
        (r) =>
          `${r.rule}/${r.resource}: want ${r.expected} got ${r.actual}${values.verbose ? ` (${r.message})` : ''}`,
      )
      .join('; ');
    const extra = report.findings.map((f) => f.message).join('; ');
    process.stdout.write(
      `MISMATCH ${caseId}${gap ? ' [known gap]' : ''}: ${detail}${extra ? ` | ${extra}` : ''}\n`,
    );
  }
  const min = values.min ? Number(values.min) : 0;
  process.stdout.write(
    `kyverno conformance: ${matched}/${tests.length} cases match (${gapCount} known gaps, ${unexpected.length} unexpected)\n`,
  );
  if (matched < min) {
    process.stdout.write(`kyverno conformance: below the minimum of ${min} matching cases\n`);
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
