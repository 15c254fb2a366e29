import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisRouteSnapshotStore } from '../../../src/adapters/redis/create-redis-route-snapshot-store.ts';
import type { RouteSnapshot } from '../../../src/core/routes/route-snapshot.ts';
import type { BranchPlatform } from '../../../src/usecases/ports/branch-platform.ts';
import { reconcileOpenChangeRequests } from '../../../src/usecases/reconcile-open-change-requests.ts';
import { testRedisUrl } from '../../support/redis-url.ts';

const redis = new Redis(testRedisUrl, { maxRetriesPerRequest: 1 });
const prefix = `test-routes-${randomBytes(4).toString('hex')}`;
const store = createRedisRouteSnapshotStore(redis, prefix, 60);
const project = { platform: 'gitlab' as const, project: 'ops/cafe' };
const main = { ...project, targetBranch: 'main' };

const snapshot = (number: number): RouteSnapshot => ({
  number,
  headSha: String(number).repeat(40).slice(0, 40),
  savedAt: '2024-05-01T10:00:00.000Z',
  environments: [
    {
      environment: 'production',
      manifests: [
        {
          file: 'deploy/route.yaml',
          line: 1,
          documentIndex: 0,
          identity: {
            group: 'gateway.networking.k8s.io',
            version: 'v1',
            kind: 'HTTPRoute',
            namespace: 'cafe',
            name: `r${number}`,
          },
          object: { kind: 'HTTPRoute', metadata: { name: `r${number}`, namespace: 'cafe' } },
        },
      ],
    },
  ],
});

afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

describe('Redis route snapshot store', () => {
  it('keeps snapshots per target branch with a TTL, and lists the others', async () => {
    await store.save(main, snapshot(1));
    await store.save(main, snapshot(2));
    await store.save({ ...project, targetBranch: 'release' }, snapshot(3));
    expect((await store.listOthers(main, 1)).map((s) => s.number)).toEqual([2]);
    expect(await store.listOthers(main, 2)).toEqual([snapshot(1)]);
    const ttl = await redis.ttl(`${prefix}:routes:gitlab:ops/cafe:main:1`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60);
    // An expired snapshot drops out of the index on read.
    await redis.del(`${prefix}:routes:gitlab:ops/cafe:main:2`);
    expect(await store.listOthers(main, 1)).toEqual([]);
    expect(await redis.smembers(`${prefix}:routes-index:gitlab:ops/cafe:main`)).toEqual(['1']);
  });

  it('tells new conflicts apart from known ones, and forgets the ones that went away', async () => {
    expect(await store.recordConflicts(project, 5, [{ number: 6, keys: ['a', 'b'] }])).toEqual([
      { number: 6, keys: ['a', 'b'] },
    ]);
    expect(await store.recordConflicts(project, 5, [{ number: 6, keys: ['a', 'b'] }])).toEqual([]);
    expect(
      await store.recordConflicts(project, 5, [
        { number: 6, keys: ['b', 'c'] },
        { number: 7, keys: ['d'] },
      ]),
    ).toEqual([
      { number: 6, keys: ['c'] },
      { number: 7, keys: ['d'] },
    ]);
    expect(await store.recordConflicts(project, 5, [])).toEqual([]);
    expect(await store.recordConflicts(project, 5, [{ number: 7, keys: ['d'] }])).toEqual([
      { number: 7, keys: ['d'] },
    ]);
  });

  it('the reconciler drops the snapshots of merge requests that are no longer open', async () => {
    await store.save(main, snapshot(8));
    await store.save({ ...project, targetBranch: 'release' }, snapshot(9));
    const platform = {
      listOpenChangeRequests: async () => [{ number: 8, headSha: 'f'.repeat(40) }],
      getCheckState: async () => 'success',
    } as unknown as BranchPlatform;
    const summary = await reconcileOpenChangeRequests({
      listTargets: async () => [project],
      platformFor: async () => platform,
      requeue: async () => 'queued',
      retainOpen: (target, open) => store.retainOpen(target, open),
      runId: 'test',
    });
    expect(summary).toMatchObject({ open: 1, final: 1, errors: [] });
    expect((await store.listOthers(main, 0)).map((s) => s.number)).toEqual([8]);
    expect(await store.listOthers({ ...project, targetBranch: 'release' }, 0)).toEqual([]);
  });
});
