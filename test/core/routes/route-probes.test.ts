import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseManifests } from '../../../src/core/manifests/parse-manifests.ts';
import { type AnalyzeRoutesOptions, analyzeRoutes } from '../../../src/core/routes/analyze-routes.ts';

/**
 * Adversarial probes of the README rules, one folder per rule family under
 * test/fixtures/routes/probes/: `manifests.yaml` plus `expected.yaml` (description, findings as
 * type + sorted objects), compared as a set like the conformance corpus.
 */
const root = fileURLToPath(new URL('../../fixtures/routes/probes/', import.meta.url));

interface Expected {
  type: string;
  severity?: string;
  objects: string[];
}

interface ProbeSpec {
  description: string;
  /** Analysis options (a controller profile, declared Namespace labels). */
  options?: AnalyzeRoutesOptions;
  /** Compare severities too (a profile that turns an error into a warning). */
  severity?: boolean;
  findings: Expected[];
}

function keyOf(f: Expected, withSeverity: boolean): string {
  return `${f.type}${withSeverity ? ` [${f.severity}]` : ''}: ${[...f.objects].sort().join(' ')}`;
}

function runProbe(dir: string, spec: ProbeSpec): string[] {
  const manifests = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') && f !== 'expected.yaml')
    .sort()
    .flatMap((f) => parseManifests(f, readFileSync(join(dir, f), 'utf8')).manifests);
  return [
    ...new Set(analyzeRoutes(manifests, spec.options).map((f) => keyOf(f, spec.severity === true))),
  ].sort();
}

describe('route-conflict probes', () => {
  const probes = readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory());
  it('has probes', () => {
    expect(probes.length).toBeGreaterThan(5);
  });
  for (const probe of probes) {
    const dir = join(root, probe.name);
    const expected = parse(readFileSync(join(dir, 'expected.yaml'), 'utf8')) as ProbeSpec;
    it(`${probe.name}: ${expected.description}`, () => {
      expect(runProbe(dir, expected)).toEqual(
        [...new Set((expected.findings ?? []).map((f) => keyOf(f, expected.severity === true)))].sort(),
      );
    });
  }
});
