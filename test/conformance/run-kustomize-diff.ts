/**
 * Differential kustomize conformance: every case folder of the corpus (and the project's own
 * kustomize fixtures) built by the native renderer and by `kubectl kustomize` (the oracle, run
 * live), the objects compared as data, document order aside.
 *
 *   node bin/run.js test/conformance/run-kustomize-diff.ts test/fixtures/kustomize-diff \
 *     --known-gaps test/conformance/kustomize-known-gaps.yaml [--verbose] [--only PREFIX]
 *
 * Prints each case that is not identical, the agreement rate, and how many of the others carried a
 * finding. Exits non-zero when a case differs and is not listed in the known-gaps file, when a
 * listed gap renders without any finding (silently wrong), or when a listed gap now agrees.
 */

import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  type CaseResult,
  compareBuild,
  compareCase,
  listKustomizeBuilds,
  listKustomizeCases,
} from './compare-with-kustomize.ts';
import { readKnownGaps } from './read-known-gaps.ts';
import { runConformanceMain } from './run-conformance-main.ts';

async function runAll(jobs: (() => Promise<CaseResult>)[], parallel = 2): Promise<CaseResult[]> {
  const results: CaseResult[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]!();
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return results;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      'known-gaps': { type: 'string' },
      verbose: { type: 'boolean', default: false },
      only: { type: 'string' },
      fixtures: { type: 'string' },
    },
  });
  const corpus = positionals[0];
  if (!corpus) {
    process.stderr.write('usage: run-kustomize-diff.ts <corpus-dir> [--known-gaps FILE] [--only PREFIX]\n');
    return 2;
  }
  const root = path.resolve(corpus);
  const gaps = await readKnownGaps(values['known-gaps']);
  const jobs = listKustomizeCases(root)
    .filter((id) => !values.only || id.startsWith(values.only))
    .map((id) => () => compareCase(root, id));
  // The project's own kustomize fixtures: each folder under --fixtures is a tree, each
  // kustomization in it a build (case id `fixtures:<tree>/<build>`).
  if (values.fixtures) {
    const fixtures = path.resolve(values.fixtures);
    for (const name of readdirSync(fixtures).sort()) {
      const tree = path.join(fixtures, name);
      if (!statSync(tree).isDirectory()) continue;
      for (const build of listKustomizeBuilds(tree)) {
        const id = `fixtures:${name}/${build}`;
        if (!values.only || id.startsWith(values.only)) jobs.push(() => compareBuild(tree, build, id));
      }
    }
  }
  const results = await runAll(jobs);
  const count = (outcome: CaseResult['outcome']) => results.filter((r) => r.outcome === outcome).length;
  const problems: string[] = [];
  for (const r of results) {
    const gap = gaps.get(r.id);
    const agrees = r.outcome === 'identical' || r.outcome === 'both-refuse';
    if (agrees) {
      if (gap) problems.push(`${r.id}: listed as a known gap but now agrees with kustomize (remove it)`);
      if (values.verbose) process.stdout.write(`ok ${r.id} (${r.outcome})\n`);
      continue;
    }
    const findings = r.findings.map((f) => `${f.rule}: ${f.message}`).join(' | ');
    process.stdout.write(
      `${r.outcome.toUpperCase()} ${r.id}${gap ? ' [known gap]' : ''}: ${r.differences.slice(0, values.verbose ? 20 : 3).join('; ')}${findings ? `\n    findings: ${findings.slice(0, values.verbose ? 2000 : 300)}` : ''}${r.oracleError && values.verbose ? `\n    kustomize: ${r.oracleError}` : ''}\n`,
    );
    if (r.outcome === 'differs-silently')
      problems.push(`${r.id}: renders differently from kustomize without a finding`);
    else if (r.outcome === 'false-finding' && !gap)
      problems.push(`${r.id}: same objects as kustomize, but an error finding`);
    else if (!gap) problems.push(`${r.id}: differs from kustomize and is not a known gap`);
  }
  const agree = count('identical') + count('both-refuse');
  const others = results.length - agree;
  process.stdout.write(
    `kustomize differential: ${agree}/${results.length} cases agree with kubectl kustomize (${(
      (100 * agree) / Math.max(1, results.length)
    ).toFixed(
      1,
    )}%: ${count('identical')} identical, ${count('both-refuse')} refused by both); of the other ${others}: ${count('differs-with-finding')} with a finding, ${count('differs-silently')} silently different, ${count('false-finding')} false error findings\n`,
  );
  for (const p of problems) process.stdout.write(`FAIL ${p}\n`);
  return problems.length > 0 ? 1 : 0;
}

runConformanceMain(main);
