import type { Redis } from 'ioredis';

/** Head SHAs whose `tollgate` check is final: later reconciler runs skip them without an API call. */
export function createRedisFinalCheckStore(redis: Redis, options: { prefix: string; ttlSeconds?: number }) {
  const ttl = options.ttlSeconds ?? 7 * 24 * 3600;
  return {
    async has(key: string) {
      return (await redis.exists(`${options.prefix}:final:${key}`)) === 1;
    },
    async add(key: string) {
      await redis.set(`${options.prefix}:final:${key}`, '1', 'EX', ttl);
    },
  };
}
