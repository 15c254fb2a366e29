import type { Redis } from 'ioredis';
import type { EnvironmentLock } from '../../core/chatops/find-lock-findings.ts';
import type { EnvironmentLockStore } from '../../usecases/ports/environment-lock-store.ts';
import { type ProjectScope, scopedKey } from '../../usecases/ports/project-scope.ts';

function parse(raw: string | null | undefined): EnvironmentLock | undefined {
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as EnvironmentLock;
  } catch {
    return undefined;
  }
}

/** One Redis hash per repository: environment → lock. Locks never expire; only `unlock` lifts them. */
export function createRedisEnvironmentLockStore(redis: Redis, prefix = 'tollgate'): EnvironmentLockStore {
  const key = (scope: ProjectScope) => scopedKey(prefix, 'envlock', scope);
  return {
    async readLocks(scope) {
      const all = await redis.hgetall(key(scope));
      return Object.values(all)
        .map(parse)
        .filter((l): l is EnvironmentLock => l !== undefined);
    },
    async getLock(scope, environment) {
      return parse(await redis.hget(key(scope), environment));
    },
    async setLock(scope, lock) {
      await redis.hset(key(scope), lock.environment, JSON.stringify(lock));
    },
    async removeLock(scope, environment) {
      return (await redis.hdel(key(scope), environment)) > 0;
    },
  };
}
