import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseManifests } from '../../../src/core/manifests/parse-manifests.ts';
import { analyzeRoutes } from '../../../src/core/routes/analyze-routes.ts';

/**
 * Adversarial probes of the README rules, one folder per rule family under
 * test/fixtures/routes/probes/: `manifests.yaml` plus `expected.yaml` (description, findings as
 * type + sorted objects), compared as a set like the conformance corpus.
 */
const root = fileURLToPath(new URL('../../fixtures/routes/probes/', import.meta.url));

interface Expected {
  type: string;
  objects: string[];
}

function keyOf(f: Expected): string {
  return `${f.type}: ${[...f.objects].sort().join(' ')}`;
}

function runProbe(dir: string): string[] {
  const manifests = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') && f !== 'expected.yaml')
    .sort()
    .flatMap((f) => parseManifests(f, readFileSync(join(dir, f), 'utf8')).manifests);
  return [...new Set(analyzeRoutes(manifests).map(keyOf))].sort();
}

describe('route-conflict probes', () => {
  const probes = readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory());
  it('has probes', () => {
    expect(probes.length).toBeGreaterThan(5);
  });
  for (const probe of probes) {
    const dir = join(root, probe.name);
    const expected = parse(readFileSync(join(dir, 'expected.yaml'), 'utf8')) as {
      description: string;
      findings: Expected[];
    };
    it(`${probe.name}: ${expected.description}`, () => {
      expect(runProbe(dir)).toEqual([...new Set(expected.findings.map(keyOf))].sort());
    });
  }
});
