/**
 * Candidates for reading manifests, on the files of the 1,700-app review repository (one file per
 * app, three documents each): js-yaml's loadAll (the floor), `yaml`'s full documents with toJS
 * (what parseManifests did before), `yaml`'s CST parser and lexer alone, and parseManifests as it
 * is. CPU time of this process, the fastest of five runs, as a ratio to the floor.
 *
 *   npx tsx bench/parse.bench.ts [apps]
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { loadAll } from 'js-yaml';
import { Lexer, Parser, parseAllDocuments } from 'yaml';
import { parseManifests } from '../src/core/manifests/parse-manifests.ts';
import { generateReviewRepo } from './support/generate-review-repo.ts';

const apps = Number(process.argv[2] ?? 1_700);
const repo = generateReviewRepo(apps, path.resolve(import.meta.dirname, '..'));
const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((n) => {
    const full = path.join(dir, n);
    return statSync(full).isDirectory() ? walk(full) : /\.ya?ml$/.test(n) ? [full] : [];
  });
const files = walk(path.join(repo.baseFiles, 'apps')).map((p) => ({
  path: p,
  text: readFileSync(p, 'utf8'),
}));

function each(parse: (file: { path: string; text: string }) => unknown): void {
  for (const file of files) parse(file);
}

function cpu(fn: () => void): number {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const start = process.cpuUsage();
    fn();
    const { user, system } = process.cpuUsage(start);
    times.push((user + system) / 1000);
  }
  return Math.min(...times);
}

const candidates: [string, () => void][] = [
  ['js-yaml loadAll (floor)', () => each((f) => loadAll(f.text))],
  ['yaml parseAllDocuments + toJS', () => each((f) => parseAllDocuments(f.text).map((d) => d.toJS()))],
  ['yaml CST (Parser)', () => each((f) => [...new Parser().parse(f.text)])],
  ['yaml Lexer', () => each((f) => [...new Lexer().lex(f.text)])],
  ['parseManifests', () => each((f) => parseManifests(f.path, f.text))],
];
const results = candidates.map(([name, fn]) => [name, cpu(fn)] as const);
const floor = results[0]![1];
process.stdout.write(`parse candidates, ${files.length} files of ${apps} apps (${repo.dir}):\n`);
for (const [name, ms] of results)
  process.stdout.write(`  ${name.padEnd(32)} ${ms.toFixed(0).padStart(6)} ms  ${(ms / floor).toFixed(2)}×\n`);
