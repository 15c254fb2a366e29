import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { EnvironmentMutex } from '../../usecases/ports/environment-mutex.ts';
import { type ProjectScope, scopedKey } from '../../usecases/ports/project-scope.ts';

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
