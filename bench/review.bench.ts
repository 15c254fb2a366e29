/**
 * The review benchmark of issue 14: `tollgate check` on generated repositories of 300, 1,700 and
 * 5,000 apps (three documents each, one Gateway, 61 Kyverno policies; a change touching 50 apps),
 * against the floor of reading the same input: js-yaml's loadAll over every YAML file of the base
 * and the head tree, measured in the same run. Whole-process figures (CPU, peak RSS) are whole
 * processes under /usr/bin/time, of the compiled CLI (`tsc` into a temp folder, as the package and
 * the image ship it). Exits 1 when a goal is missed.
 *
 *   npm run bench                       every size (minutes; the 5,000-app size is the slow one)
 *   npm run bench -- --quick            300 apps only, no second review or loop figure (CI)
 *   npm run bench -- --sizes=1700       chosen sizes
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type GeneratedRepo, generateReviewRepo } from './support/generate-review-repo.ts';

const root = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const sizesArg = args.find((a) => a.startsWith('--sizes='));
const sizes = sizesArg
  ? sizesArg.slice('--sizes='.length).split(',').map(Number)
  : quick
    ? [300]
    : [300, 1_700, 5_000];

interface Usage {
  cpuMs: number;
  wallMs: number;
  maxRssMiB: number;
  stdout: string;
}

/** Runs a whole process under /usr/bin/time: CPU of it and of its children, and its peak RSS. */
function measure(command: string[], cwd = root): Usage {
  const out = path.join(tmpdir(), `tollgate-bench-time-${process.pid}.txt`);
  const run = spawnSync('/usr/bin/time', ['-o', out, '-f', '%e %U %S %M', ...command], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (run.status !== 0 && run.status !== 1) {
    throw new Error(`${command.join(' ')} exited ${run.status}: ${run.stderr.slice(-2000)}`);
  }
  const [wall, user, sys, rss] = readFileSync(out, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
  rmSync(out, { force: true });
  return { wallMs: wall! * 1000, cpuMs: (user! + sys!) * 1000, maxRssMiB: rss! / 1024, stdout: run.stdout };
}

/** The fastest of `runs` (interference only ever adds time). */
function fastest(runs: number, command: string[]): Usage {
  const all = Array.from({ length: runs }, () => measure(command));
  return all.reduce((a, b) => (b.cpuMs < a.cpuMs ? b : a));
}

/** Compiles src/, workers/ and bench/support/ into a temp installation (package.json, policies, bin). */
function build(): string {
  const dir = path.join(tmpdir(), 'tollgate-bench', `build-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({
      extends: path.join(root, 'tsconfig.build.json'),
      compilerOptions: { rootDir: root, outDir: path.join(dir, 'dist'), sourceMap: false },
      include: [path.join(root, 'src'), path.join(root, 'workers'), path.join(root, 'bench/support')],
    }),
  );
  for (const name of ['package.json', 'policies', 'bin', 'node_modules'])
    symlinkSync(path.join(root, name), path.join(dir, name));
  const tsc = spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', dir], {
    encoding: 'utf8',
  });
  if (tsc.status !== 0) throw new Error(`tsc failed:\n${tsc.stdout}${tsc.stderr}`);
  return dir;
}

interface Goal {
  figure: string;
  value: string;
  goal: string;
  met: boolean;
}
const goals: Goal[] = [];
function record(figure: string, value: number, limit: number, unit = '×', digits = 1) {
  const met = value <= limit;
  goals.push({ figure, value: `${value.toFixed(digits)}${unit}`, goal: `≤ ${limit}${unit}`, met });
}

const started = performance.now();
const install = build();
const cli = [process.execPath, path.join(install, 'bin/tollgate.js')];
const node = (script: string) => [process.execPath, path.join(install, 'dist/bench/support', script)];
process.stdout.write(
  `review bench: compiled CLI in ${install} (${((performance.now() - started) / 1000).toFixed(0)} s)\n`,
);

// Cold start: the cheapest of five runs of each.
const help = fastest(5, [...cli, '--help']);
const checkHelp = fastest(5, [...cli, 'check', '--help']);
process.stdout.write(
  `  tollgate --help ${help.cpuMs.toFixed(0)} ms CPU, tollgate check --help ${checkHelp.cpuMs.toFixed(0)} ms CPU\n`,
);
record('`tollgate check --help` CPU ÷ `tollgate --help`', checkHelp.cpuMs / help.cpuMs, 1.5, '', 2);

for (const apps of sizes) {
  const t = performance.now();
  const repo: GeneratedRepo = generateReviewRepo(apps, root);
  process.stdout.write(
    `\n${apps.toLocaleString('en')} apps (${repo.documents.toLocaleString('en')} documents, 61 policies from ${repo.policySource === 'corpus' ? '../shared/corpus/kyverno' : 'the shipped ones, copied'}; repository ${repo.dir}, ${((performance.now() - t) / 1000).toFixed(1)} s)\n`,
  );
  const runs = apps <= 300 ? 3 : 1;
  const floor = fastest(runs, [
    process.execPath,
    path.join(root, 'bench/support/js-yaml-floor.mjs'),
    repo.baseFiles,
    repo.headFiles,
  ]);
  const report = path.join(repo.dir, 'report.json');
  const check = fastest(runs, [
    ...cli,
    'check',
    '--repo',
    repo.repo,
    '--base',
    'main',
    '--head',
    'change',
    '--format',
    'json',
    '--output',
    report,
  ]);
  const stats = (JSON.parse(readFileSync(report, 'utf8')) as { stats?: Record<string, unknown> }).stats;
  process.stdout.write(
    `  js-yaml floor (base + head, ${floor.stdout.trim()} documents): ${floor.cpuMs.toFixed(0)} ms CPU, ${floor.maxRssMiB.toFixed(0)} MiB\n` +
      `  tollgate check main..change: ${check.cpuMs.toFixed(0)} ms CPU (${check.wallMs.toFixed(0)} ms wall), peak RSS ${check.maxRssMiB.toFixed(0)} MiB\n` +
      `  check ÷ floor CPU: ${(check.cpuMs / floor.cpuMs).toFixed(1)}×\n` +
      (stats ? `  stats: ${JSON.stringify(stats)}\n` : '  stats: (the report has none)\n'),
  );
  if (apps === 1_700 || quick || sizesArg) {
    record(`check CPU ÷ js-yaml floor, ${apps} apps`, check.cpuMs / floor.cpuMs, 3);
    record(`peak RSS, ${apps} apps`, check.maxRssMiB, apps >= 5_000 ? 512 : 256, ' MiB', 0);
  }
  if (apps === 5_000 && !sizesArg) {
    record(`check CPU ÷ js-yaml floor, ${apps} apps`, check.cpuMs / floor.cpuMs, 3);
    record(`peak RSS, ${apps} apps`, check.maxRssMiB, 512, ' MiB', 0);
  }

  // A one-app change: how many objects did the policies evaluate?
  const oneReport = path.join(repo.dir, 'one-app.json');
  measure([
    ...cli,
    'check',
    '--repo',
    repo.repo,
    '--base',
    'main',
    '--head',
    'one-app',
    '--format',
    'json',
    '--output',
    oneReport,
  ]);
  const one = JSON.parse(readFileSync(oneReport, 'utf8')) as {
    stats?: { objectsEvaluated?: number; objectsChanged?: number };
  };
  const evaluated = one.stats?.objectsEvaluated;
  process.stdout.write(
    `  one-app change: ${evaluated ?? 'every'} objects evaluated${one.stats?.objectsChanged !== undefined ? ` (${one.stats.objectsChanged} changed at head, and its base version)` : ' (no stats: both trees in full)'}\n`,
  );
  if (apps === 1_700 || quick || sizesArg) {
    // What differs between base and head: the changed object, at head and at base.
    const differing = 2 * (one.stats?.objectsChanged ?? 1);
    record(
      `objects evaluated for a one-app change, ${apps} apps (both versions of what differs)`,
      evaluated ?? 2 * repo.documents,
      differing,
      ' objects',
      0,
    );
  }

  if (!quick && (apps === 1_700 || sizesArg)) {
    const twice = JSON.parse(measure([...node('review-twice.js'), repo.repo]).stdout) as {
      firstMs: number;
      secondMs: number;
    };
    process.stdout.write(
      `  two reviews of main in one process: first ${twice.firstMs.toFixed(0)} ms CPU, second ${twice.secondMs.toFixed(0)} ms CPU\n`,
    );
    record(
      `second review of the same base ÷ first, ${apps} apps`,
      twice.secondMs / twice.firstMs,
      0.2,
      '',
      2,
    );
  }
  if (!quick && (apps === 5_000 || sizesArg)) {
    const loop = JSON.parse(measure([...node('measure-loop-block.js'), repo.repo]).stdout) as {
      maxBlockMs: number;
      reviewMs: number;
    };
    process.stdout.write(
      `  longest event-loop block during a review: ${loop.maxBlockMs.toFixed(0)} ms (review ${loop.reviewMs.toFixed(0)} ms wall)\n`,
    );
    record(`longest event-loop block in one review, ${apps} apps`, loop.maxBlockMs, 100, ' ms', 0);
  }
}
rmSync(install, { recursive: true, force: true });

process.stdout.write('\n| figure | measured | goal | |\n|---|---|---|---|\n');
for (const g of goals)
  process.stdout.write(`| ${g.figure} | ${g.value} | ${g.goal} | ${g.met ? 'met' : 'MISSED'} |\n`);
const missed = goals.filter((g) => !g.met).length;
process.stdout.write(`\n${missed ? `${missed} goal(s) missed` : 'every goal met'}\n`);
process.exitCode = missed ? 1 : 0;
