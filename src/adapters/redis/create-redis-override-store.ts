import type { Redis } from 'ioredis';
import type { PlatformKind } from '../../usecases/ports/platform.ts';
import { type ProjectScope, scopedKey } from '../../usecases/ports/project-scope.ts';

/** A maintainer let one failing check pass for one merge request at one head SHA. */
export interface CheckOverride {
  check: string;
  headSha: string;
  by: string;
  reason: string;
  /** ISO time. */
  at: string;
  /** Comment URL where it was given. */
  source?: string;
}

export interface OverrideStore {
  addOverride(scope: ProjectScope, number: number, override: CheckOverride): Promise<void>;
  /** Overrides for the merge request; only those given at `headSha` when it is passed. */
  readOverrides(
    platform: PlatformKind,
    project: string,
    number: number,
    headSha?: string,
  ): Promise<CheckOverride[]>;
}

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
