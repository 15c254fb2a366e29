import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { ConditionalCache } from '../../usecases/ports/branch-platform.ts';

/** ETags (and the trimmed data they stand for) in Redis, shared by every worker; entries expire. */
export function createRedisConditionalCache(
  redis: Redis,
  options: { prefix: string; ttlSeconds?: number },
): ConditionalCache {
  const ttl = options.ttlSeconds ?? 24 * 3600;
  const keyOf = (key: string) =>
    `${options.prefix}:etag:${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
  return {
    async get(key) {
      const raw = await redis.get(keyOf(key));
      if (!raw) return undefined;
      try {
        return JSON.parse(raw) as { etag: string; value: unknown };
      } catch {
        return undefined;
      }
    },
    async set(key, entry) {
      await redis.set(keyOf(key), JSON.stringify(entry), 'EX', ttl);
    },
  };
}
