import type { Redis } from 'ioredis';
import type { CrossChangeSummary } from '../../core/routes/find-cross-change-findings.ts';
import type { RouteSnapshot } from '../../core/routes/route-snapshot.ts';
import { type ProjectScope, scopedKey } from '../../usecases/ports/project-scope.ts';
import type { RouteSnapshotStore, TargetScope } from '../../usecases/ports/route-snapshot-store.ts';

export const ROUTE_SNAPSHOT_TTL_SECONDS = 14 * 24 * 3600;

/**
 * Redis layout (under `prefix`):
 * - `routes:{platform}:{project}:{branch}:{number}`: the snapshot JSON, with a TTL;
 * - `routes-index:{platform}:{project}:{branch}`: set of MR numbers with a snapshot;
 * - `routes-branches:{platform}:{project}`: set of target branches with an index;
 * - `route-conflicts:{platform}:{project}:{number}`: hash other MR → JSON conflict keys.
 * Every key carries the TTL, so an abandoned project leaves nothing behind.
 */
export function createRedisRouteSnapshotStore(
  redis: Redis,
  prefix = 'tollgate',
  ttlSeconds = ROUTE_SNAPSHOT_TTL_SECONDS,
): RouteSnapshotStore {
  const snapshotKey = (s: TargetScope, n: number) => scopedKey(prefix, 'routes', s, s.targetBranch, n);
  const indexKey = (s: TargetScope) => scopedKey(prefix, 'routes-index', s, s.targetBranch);
  const branchesKey = (s: ProjectScope) => scopedKey(prefix, 'routes-branches', s);
  const conflictsKey = (s: ProjectScope, n: number) => scopedKey(prefix, 'route-conflicts', s, n);

  return {
    async save(scope, snapshot) {
      await redis
        .multi()
        .set(snapshotKey(scope, snapshot.number), JSON.stringify(snapshot), 'EX', ttlSeconds)
        .sadd(indexKey(scope), String(snapshot.number))
        .expire(indexKey(scope), ttlSeconds)
        .sadd(branchesKey(scope), scope.targetBranch)
        .expire(branchesKey(scope), ttlSeconds)
        .exec();
    },

    async listOthers(scope, number) {
      const numbers = (await redis.smembers(indexKey(scope))).map(Number).filter((n) => n !== number);
      if (numbers.length === 0) return [];
      const raw = await redis.mget(...numbers.map((n) => snapshotKey(scope, n)));
      const expired = numbers.filter((_, i) => raw[i] === null);
      if (expired.length) await redis.srem(indexKey(scope), ...expired.map(String));
      return raw.flatMap((r) => (r === null ? [] : [JSON.parse(r) as RouteSnapshot]));
    },

    async retainOpen(scope, openNumbers) {
      const open = new Set(openNumbers.map(String));
      const removed: number[] = [];
      for (const targetBranch of await redis.smembers(branchesKey(scope))) {
        const target = { ...scope, targetBranch };
        const gone = (await redis.smembers(indexKey(target))).filter((n) => !open.has(n));
        if (gone.length === 0) continue;
        await redis
          .multi()
          .del(...gone.map((n) => snapshotKey(target, Number(n))))
          .del(...gone.map((n) => conflictsKey(scope, Number(n))))
          .srem(indexKey(target), ...gone)
          .exec();
        removed.push(...gone.map(Number));
      }
      return removed.sort((a, b) => a - b);
    },

    async recordConflicts(scope, number, conflicts) {
      const key = conflictsKey(scope, number);
      const before = await redis.hgetall(key);
      const fresh: CrossChangeSummary[] = [];
      for (const c of conflicts) {
        const known = new Set(
          before[String(c.number)] ? (JSON.parse(before[String(c.number)]!) as string[]) : [],
        );
        const added = c.keys.filter((k) => !known.has(k));
        if (added.length) fresh.push({ number: c.number, keys: added });
      }
      const tx = redis.multi().del(key);
      if (conflicts.length) {
        tx.hset(key, Object.fromEntries(conflicts.map((c) => [String(c.number), JSON.stringify(c.keys)])));
        tx.expire(key, ttlSeconds);
      }
      await tx.exec();
      return fresh;
    },
  };
}
