import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compareCase, listKustomizeCases } from './compare-with-kustomize.ts';

const ROOT = new URL('../fixtures/kustomize-diff/', import.meta.url).pathname;
const GAPS = new Map(
  (
    parse(readFileSync(new URL('./kustomize-known-gaps.yaml', import.meta.url), 'utf8')) as {
      gaps: { case: string; reason: string }[];
    }
  ).gaps.map((g) => [g.case, g.reason]),
);

function hasKubectl(): boolean {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A fixed sample of the corpus (every 15th case): the full corpus runs from .ci/run. */
const SAMPLE = listKustomizeCases(ROOT).filter((_, i) => i % 15 === 0);

describe.skipIf(!hasKubectl())('native kustomize renderer against kubectl kustomize (sample)', () => {
  it('samples a real corpus', () => {
    expect(SAMPLE.length).toBeGreaterThan(20);
  });
  it.each(SAMPLE)('%s', async (id) => {
    const result = await compareCase(ROOT, id);
    if (GAPS.has(id)) expect(result.outcome).toMatch(/^(differs-with-finding|false-finding)$/);
    else
      expect({ outcome: result.outcome, differences: result.differences }).toMatchObject({
        outcome: expect.stringMatching(/^(identical|both-refuse)$/),
        differences: [],
      });
  });
});
