import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/core/findings/finding.ts';
import { planFindingDiscussions } from '../../../src/core/review/plan-finding-discussions.ts';
import {
  readFindingThreadKey,
  selectFindingThreads,
} from '../../../src/core/review/select-finding-threads.ts';

const finding = (over: Partial<Finding> = {}): Finding => ({
  check: 'policy',
  rule: 'disallow-latest-image-tag/require-pinned-image',
  severity: 'error',
  blocking: true,
  title: 'No latest or untagged images',
  message: 'Container coffee uses image coffee:latest',
  location: { file: 'deploy/coffee.yaml', line: 18 },
  environment: 'staging',
  objects: ['Deployment/cafe/coffee'],
  ...over,
});

describe('selectFindingThreads', () => {
  it('keeps blocking policy and route findings on changed files, one thread across environments', () => {
    const threads = selectFindingThreads(
      [
        finding(),
        finding({ environment: 'production' }),
        finding({ blocking: false, rule: 'require-probes/require-probes' }),
        finding({ check: 'yaml', rule: 'yaml-syntax' }),
        finding({
          check: 'routes',
          rule: 'duplicate-match',
          location: { file: 'deploy/routes.yaml', line: 7 },
        }),
        finding({ location: { file: 'deploy/untouched.yaml', line: 3 } }),
        finding({ location: { file: 'deploy/coffee.yaml' } }),
      ],
      new Set(['deploy/coffee.yaml', 'deploy/routes.yaml']),
    );
    expect(threads.map((t) => [t.file, t.line])).toEqual([
      ['deploy/coffee.yaml', 18],
      ['deploy/routes.yaml', 7],
    ]);
    expect(threads[0]!.body).toContain('`staging`, `production`');
    expect(readFindingThreadKey(threads[0]!.body)).toBe(threads[0]!.key);
    // Stable across runs, and a moved line keeps the key (the thread stays).
    const again = selectFindingThreads(
      [finding({ location: { file: 'deploy/coffee.yaml', line: 20 } })],
      new Set(['deploy/coffee.yaml']),
    );
    expect(again[0]!.key).toBe(threads[0]!.key);
  });
});

describe('planFindingDiscussions', () => {
  const [a, b] = selectFindingThreads(
    [finding(), finding({ rule: 'other', message: 'other' })],
    new Set(['deploy/coffee.yaml']),
  );

  it('writes nothing when the discussions already agree', () => {
    expect(
      planFindingDiscussions(
        [a!, b!],
        [
          { id: 'd1', key: a!.key, resolved: false, resolvedByBot: false },
          { id: 'd2', key: b!.key, resolved: false, resolvedByBot: false },
        ],
        20,
      ),
    ).toEqual({ create: [], resolve: [], reopen: [], deferred: 0 });
  });

  it("creates the missing, resolves the gone, reopens what the bot resolved, leaves a person's resolution", () => {
    const plan = planFindingDiscussions(
      [a!, b!],
      [
        { id: 'gone', key: 'ffffffffffffffff', resolved: false, resolvedByBot: false },
        { id: 'back', key: a!.key, resolved: true, resolvedByBot: true },
        { id: 'person', key: b!.key, resolved: true, resolvedByBot: false },
      ],
      20,
    );
    expect(plan).toEqual({ create: [], resolve: ['gone'], reopen: ['back'], deferred: 0 });
    expect(planFindingDiscussions([a!, b!], [], 1)).toMatchObject({ create: [a], deferred: 1 });
  });
});
