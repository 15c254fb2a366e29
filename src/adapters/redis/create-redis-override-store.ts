import type { Redis } from 'ioredis';
import type { CheckOverride } from '../../core/chatops/check-override.ts';
import type { OverrideStore } from '../../usecases/ports/override-store.ts';
import { type ProjectScope, scopedKey } from '../../usecases/ports/project-scope.ts';

const KEEP_SECONDS = 90 * 24 * 3600;

/** One hash per merge request: `headSha check` → override. A new push needs a new override. */
export function createRedisOverrideStore(redis: Redis, prefix = 'tollgate'): OverrideStore {
  const key = (scope: ProjectScope, number: number) => scopedKey(prefix, 'override', scope, number);
  return {
    async addOverride(scope, number, override) {
      const k = key(scope, number);
      await redis
        .multi()
        .hset(k, `${override.headSha} ${override.check}`, JSON.stringify(override))
        .expire(k, KEEP_SECONDS)
        .exec();
    },
    async readOverrides(platform, project, number, headSha) {
      const all = await redis.hgetall(key({ platform, project }, number));
      return Object.values(all)
        .map((raw) => JSON.parse(raw) as CheckOverride)
        .filter((o) => headSha === undefined || o.headSha === headSha)
        .sort((a, b) => a.at.localeCompare(b.at));
    },
  };
}
