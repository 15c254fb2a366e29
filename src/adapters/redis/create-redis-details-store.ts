import type { Redis } from 'ioredis';
import type { CheckDetails, DetailsStore } from '../../usecases/ports/details-store.ts';

/** Check reports in Redis as JSON, one key per platform, project and commit, expiring with the link. */
export function createRedisDetailsStore(redis: Redis, options: { prefix: string }): DetailsStore {
  const key = (platform: string, project: string, sha: string) =>
    `${options.prefix}:details:${platform}:${encodeURIComponent(project)}:${sha}`;
  return {
    async saveDetails(details, ttlSeconds) {
      await redis.set(
        key(details.platform, details.project, details.sha),
        JSON.stringify(details),
        'EX',
        Math.max(1, Math.round(ttlSeconds)),
      );
    },
    async readDetails(platform, project, sha) {
      const text = await redis.get(key(platform, project, sha));
      return text ? (JSON.parse(text) as CheckDetails) : undefined;
    },
  };
}
