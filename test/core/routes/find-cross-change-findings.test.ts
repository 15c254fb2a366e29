import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseManifests } from '../../../src/core/manifests/parse-manifests.ts';
import { listChangedRouteObjects } from '../../../src/core/routes/find-cross-change-conflicts.ts';
import { findCrossChangeFindings } from '../../../src/core/routes/find-cross-change-findings.ts';
import { type RouteSnapshot, toStoredManifest } from '../../../src/core/routes/route-snapshot.ts';

const parse = (name: string) =>
  parseManifests(
    `deploy/${name}`,
    readFileSync(new URL(`../../fixtures/routes-cross/${name}`, import.meta.url), 'utf8'),
  ).manifests;

const base = parse('gateway.yaml');
const env = (manifests: ReturnType<typeof parse>) => [{ environment: 'production', manifests }];
/** What the review keeps of a merge request: its changed route objects, JSON round-tripped like Redis. */
const kept = (number: number, name: string): RouteSnapshot =>
  JSON.parse(
    JSON.stringify({
      number,
      headSha: 'a'.repeat(40),
      savedAt: '2024-05-01T00:00:00.000Z',
      environments: [
        {
          environment: 'production',
          manifests: listChangedRouteObjects(base, [...base, ...parse(name)]).map(toStoredManifest),
        },
      ],
    }),
  );

describe('findCrossChangeFindings', () => {
  it('warns (never blocks) about a match both merge requests add, naming the other one', () => {
    const { findings, conflicts } = findCrossChangeFindings(
      env(base),
      env([...base, ...parse('coffee-v2-route.yaml')]),
      [kept(11, 'coffee-route.yaml'), kept(13, 'tea-route.yaml')],
      (n) => `!${n}`,
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      check: 'routes',
      rule: 'cross-change/duplicate-match',
      severity: 'warning',
      blocking: false,
      environment: 'production',
      objects: ['HTTPRoute/cafe/coffee', 'HTTPRoute/cafe/coffee-v2'],
    });
    expect(findings[0]!.message).toMatch(/^collides with !11 once both merge: /);
    expect(conflicts).toEqual([
      { number: 11, keys: [expect.stringMatching(/^production\|duplicate-match\|/)] },
    ]);
  });

  it('keeps only changed route-relevant objects, and finds nothing in another environment', () => {
    expect(
      listChangedRouteObjects(base, [...base, ...parse('tea-route.yaml')]).map((m) => m.identity.name),
    ).toEqual(['tea']);
    const { findings } = findCrossChangeFindings(
      [{ environment: 'staging', manifests: base }],
      [{ environment: 'staging', manifests: [...base, ...parse('coffee-v2-route.yaml')] }],
      [kept(11, 'coffee-route.yaml')],
      (n) => `!${n}`,
    );
    expect(findings).toEqual([]);
  });
});
