import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { type ProjectScope, scopedKey } from '../../usecases/ports/project-scope.ts';

export type MutexAcquisition = { acquired: true; token: string } | { acquired: false; heldBy: string };

/**
 * A short-lived, per-environment mutex: a rollback (from plan to done) and a lock/unlock cannot
 * run at the same time. SET NX PX takes it; a token check releases it, so an expired holder never
 * frees someone else's hold.
 */
export interface EnvironmentMutex {
  acquire(scope: ProjectScope, environment: string, holder: string, ttlMs: number): Promise<MutexAcquisition>;
  /** Keeps a hold alive longer; false when it was lost (expired or taken over). */
  extend(scope: ProjectScope, environment: string, token: string, ttlMs: number): Promise<boolean>;
  release(scope: ProjectScope, environment: string, token: string): Promise<boolean>;
}

const TOKEN_LENGTH = 32;

const RELEASE = `local v = redis.call('GET', KEYS[1])
if v and string.sub(v, 1, ${TOKEN_LENGTH}) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

const EXTEND = `local v = redis.call('GET', KEYS[1])
if v and string.sub(v, 1, ${TOKEN_LENGTH}) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

export function createRedisEnvironmentMutex(redis: Redis, prefix = 'tollgate'): EnvironmentMutex {
  const key = (scope: ProjectScope, environment: string) => scopedKey(prefix, 'envmutex', scope, environment);
  return {
    async acquire(scope, environment, holder, ttlMs) {
      const token = randomBytes(TOKEN_LENGTH / 2).toString('hex');
      const k = key(scope, environment);
      const ok = await redis.set(k, `${token}${holder}`, 'PX', ttlMs, 'NX');
      if (ok === 'OK') return { acquired: true, token };
      const current = await redis.get(k);
      return { acquired: false, heldBy: current ? current.slice(TOKEN_LENGTH) : 'someone (just released)' };
    },
    async extend(scope, environment, token, ttlMs) {
      return (await redis.eval(EXTEND, 1, key(scope, environment), token, String(ttlMs))) === 1;
    },
    async release(scope, environment, token) {
      return (await redis.eval(RELEASE, 1, key(scope, environment), token)) === 1;
    },
  };
}
