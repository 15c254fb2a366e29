/**
 * Gateway API / Ingress route-conflict conformance: runs analyzeRoutes over every case folder of
 * the corpus (read in place, never copied) and compares the set of (type, severity, sorted objects)
 * with the case's expected.yaml.
 *
 *   npx tsx test/conformance/run-gateway-corpus.ts ../shared/corpus/gateway-api
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import type { Manifest } from '../../src/core/manifests/parse-manifests.ts';
import { parseManifests } from '../../src/core/manifests/parse-manifests.ts';
import { analyzeRoutes } from '../../src/core/routes/analyze-routes.ts';

interface Expected {
  type: string;
  severity?: string;
  objects: string[];
}

function keyOf(f: Expected): string {
  return `${f.type} [${f.severity ?? '?'}] ${[...f.objects].sort().join(', ')}`;
}

function runCase(corpus: string, dir: string): { ok: boolean; missing: string[]; extra: string[] } {
  const manifests: Manifest[] = [];
  const yamlErrors: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (!/\.ya?ml$/.test(name) || name === 'expected.yaml') continue;
    const file = relative(corpus, join(dir, name));
    const result = parseManifests(file, readFileSync(join(dir, name), 'utf8'));
    manifests.push(...result.manifests);
    yamlErrors.push(...result.findings.map((f) => f.message));
  }
  const expectedDoc = parse(readFileSync(join(dir, 'expected.yaml'), 'utf8')) as { findings?: Expected[] };
  const expected = new Set((expectedDoc.findings ?? []).map(keyOf));
  const actual = new Set(analyzeRoutes(manifests).map(keyOf));
  const missing = [...expected].filter((k) => !actual.has(k));
  const extra = [...actual].filter((k) => !expected.has(k));
  return {
    ok: missing.length === 0 && extra.length === 0 && yamlErrors.length === 0,
    missing,
    extra: [...extra, ...yamlErrors.map((e) => `yaml error: ${e}`)],
  };
}

function main(argv: string[]): number {
  const corpusArg = argv[0];
  if (!corpusArg) {
    process.stderr.write('usage: run-gateway-corpus.ts <corpus-dir>\n');
    return 2;
  }
  const corpus = resolve(corpusArg);
  if (!existsSync(corpus) || !statSync(corpus).isDirectory()) {
    process.stderr.write(`run-gateway-corpus: ${corpus} is not a directory\n`);
    return 2;
  }
  const cases = readdirSync(corpus)
    .filter((n) => statSync(join(corpus, n)).isDirectory() && n !== 'LICENSES')
    .filter((n) => {
      try {
        return statSync(join(corpus, n, 'expected.yaml')).isFile();
      } catch {
        return false;
      }
    })
    .sort();
  let matching = 0;
  for (const name of cases) {
    const result = runCase(corpus, join(corpus, name));
    if (result.ok) {
      matching++;
      continue;
    }
    process.stdout.write(`MISMATCH ${name}\n`);
    for (const m of result.missing) process.stdout.write(`  - expected, not found: ${m}\n`);
    for (const e of result.extra) process.stdout.write(`  + found, not expected: ${e}\n`);
  }
  process.stdout.write(`gateway-api conformance: ${matching}/${cases.length} cases match\n`);
  return matching === cases.length && cases.length > 0 ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
