import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type nock from 'nock';
import { ProbotOctokit } from 'probot';
import type { GitHubClient } from '../../src/adapters/github/github-request.ts';
import { createRedisAuditLog } from '../../src/adapters/redis/create-redis-audit-log.ts';
import { createRedisEnvironmentLockStore } from '../../src/adapters/redis/create-redis-environment-lock-store.ts';
import { createRedisEnvironmentMutex } from '../../src/adapters/redis/create-redis-environment-mutex.ts';
import { createRedisOverrideStore } from '../../src/adapters/redis/create-redis-override-store.ts';
import { createRedisRollbackPlanStore } from '../../src/adapters/redis/create-redis-rollback-plan-store.ts';
import type { CommandStores } from '../../src/usecases/command-deps.ts';
import { testRedisUrl } from '../support/redis-url.ts';

/** Real Redis under a unique key prefix per test file; `cleanup` deletes every key it made. */
export function createTestStores(): {
  redis: Redis;
  prefix: string;
  stores: CommandStores;
  cleanup: () => Promise<void>;
} {
  const redis = new Redis(testRedisUrl, { maxRetriesPerRequest: 1 });
  const prefix = `test-chatops-${randomBytes(4).toString('hex')}`;
  return {
    redis,
    prefix,
    stores: {
      locks: createRedisEnvironmentLockStore(redis, prefix),
      mutex: createRedisEnvironmentMutex(redis, prefix),
      plans: createRedisRollbackPlanStore(redis, prefix),
      overrides: createRedisOverrideStore(redis, prefix),
      audit: createRedisAuditLog(redis, `${prefix}:audit`),
    },
    async cleanup() {
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    },
  };
}

/** An installation-token Octokit as the worker gets it, with retries off. */
export function createTestOctokit(): GitHubClient {
  return new ProbotOctokit({
    auth: { token: 'ghs_test' },
    retry: { enabled: false },
    throttle: { enabled: false },
  }) as unknown as GitHubClient;
}

/** Records every request nock answered, as `METHOD path` (path without query). */
export function recordCalls(scope: nock.Scope): string[] {
  const calls: string[] = [];
  scope.on('request', (req: { method: string; path: string }) => {
    calls.push(`${req.method} ${req.path.split('?')[0]}`);
  });
  return calls;
}

export const writes = (calls: readonly string[]) => calls.filter((c) => !c.startsWith('GET '));
