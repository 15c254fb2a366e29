import type { Redis } from 'ioredis';
import type { RollbackPlan } from '../../core/chatops/rollback-plan.ts';
import { type ProjectScope, scopedKey } from '../../usecases/ports/project-scope.ts';
import type { RollbackPlanStore } from '../../usecases/ports/rollback-plan-store.ts';

const TAKE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

export function createRedisRollbackPlanStore(redis: Redis, prefix = 'tollgate'): RollbackPlanStore {
  const key = (scope: ProjectScope, number: number) => scopedKey(prefix, 'rollback-plan', scope, number);
  return {
    async savePlan(scope, plan, ttlMs) {
      await redis.set(key(scope, plan.number), JSON.stringify(plan), 'PX', ttlMs);
    },
    async readPlan(scope, number) {
      const raw = await redis.get(key(scope, number));
      return raw ? (JSON.parse(raw) as RollbackPlan) : undefined;
    },
    async takePlan(scope, plan) {
      return (await redis.eval(TAKE, 1, key(scope, plan.number), JSON.stringify(plan))) === 1;
    },
  };
}
