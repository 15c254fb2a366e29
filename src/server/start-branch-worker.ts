import { type Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Probot } from 'probot';
import { listGitHubInstallationRepositories } from '../adapters/github/list-github-installation-repositories.ts';
import { listGitLabProjects } from '../adapters/gitlab/list-gitlab-projects.ts';
import { closeRedis } from '../adapters/redis/close-redis.ts';
import { createRedisConditionalCache } from '../adapters/redis/create-redis-conditional-cache.ts';
import { createRedisFinalCheckStore } from '../adapters/redis/create-redis-final-check-store.ts';
import { createRedisRouteSnapshotStore } from '../adapters/redis/create-redis-route-snapshot-store.ts';
import { createEnvironmentRenderer } from '../adapters/render/render-environment.ts';
import {
  BRANCH_QUEUE,
  type PushJobData,
  RECONCILE_SCHEDULER_ID,
  type ReconcileJobData,
} from '../queue/branch-job.ts';
import type { CheckJobData } from '../queue/check-job.ts';
import { keepReconcilerScheduled } from '../queue/keep-reconciler-scheduled.ts';
import { createBranchProcessor, scheduleReconciler } from '../queue/process-branch-job.ts';
import { requeueCheck } from '../queue/requeue-check.ts';
import type { ReconcileTarget } from '../usecases/reconcile-open-change-requests.ts';
import { createBranchPlatformForJob } from './platforms/create-branch-platform-for-job.ts';
import type { EnvConfig } from './read-env-config.ts';

export const DEFAULT_RECONCILE_EVERY_MS = 5 * 60_000;

export interface BranchWorkerOptions {
  config: EnvConfig;
  logger: Logger;
  probot: Probot | undefined;
  /** Producer side of the check queue (the reconciler re-queues into it). */
  checkQueue: Queue<CheckJobData>;
  /** Producer side of the branch queue (the reconciler's scheduler lives on it). */
  branchQueue: Queue<PushJobData | ReconcileJobData>;
  /** Fail-fast Redis for de-duplication keys, ETags and final-check marks. */
  redis: Redis;
  reconcileEveryMs?: number;
  /** GitLab projects to reconcile; default: every project the token is a Developer+ member of. */
  gitlabProjects?: readonly string[];
  /** How often to look for a Redis that came back empty (default: a tenth of the reconcile interval, 1-30 s). */
  redisCheckEveryMs?: number;
}

/** Starts the worker of push and reconcile jobs, and the reconciler's schedule (plus one run now). */
export async function startBranchWorker(options: BranchWorkerOptions) {
  const { config, logger, probot, redis } = options;
  const prefix = `${config.queuePrefix}:branch`;
  const cache = createRedisConditionalCache(redis, { prefix });
  const platformFor = createBranchPlatformForJob(config, probot, cache);
  const routeSnapshots = createRedisRouteSnapshotStore(redis, config.queuePrefix);
  const processor = createBranchProcessor({
    platformFor,
    // A push review runs no render commands (as before): command environments are not checked there.
    render: createEnvironmentRenderer(),
    logger,
    reconcile: {
      async listTargets() {
        const targets: ReconcileTarget[] = [];
        if (probot && config.github)
          targets.push(...(await listGitHubInstallationRepositories(probot, cache)));
        if (config.gitlab) {
          targets.push(
            ...(await listGitLabProjects({
              host: config.gitlab.url,
              token: config.gitlab.token,
              ...(options.gitlabProjects ? { projects: options.gitlabProjects } : {}),
            })),
          );
        }
        return targets;
      },
      platformFor,
      requeue: (request) =>
        requeueCheck(options.checkQueue, redis, request, {
          attempts: config.jobAttempts,
          retryDelayMs: config.retryDelayMs,
        }),
      finalChecks: createRedisFinalCheckStore(redis, { prefix }),
      // Route objects kept for cross-MR conflicts (same prefix as the check worker's store).
      retainOpen: (target, open) =>
        routeSnapshots.retainOpen({ platform: target.platform, project: target.project }, open),
    },
  });
  const connection = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  const worker = new Worker<PushJobData | ReconcileJobData>(BRANCH_QUEUE, processor, {
    connection,
    prefix: config.queuePrefix,
    concurrency: 2,
  });
  worker.on('error', (error) => logger.warn({ err: error }, 'branch worker error'));
  const every = options.reconcileEveryMs ?? DEFAULT_RECONCILE_EVERY_MS;
  if (every > 0) {
    await scheduleReconciler(options.branchQueue as Queue<ReconcileJobData>, every, RECONCILE_SCHEDULER_ID);
  } else {
    // Turned off: remove a schedule an earlier deployment left behind.
    await (options.branchQueue as Queue<ReconcileJobData>).removeJobScheduler(RECONCILE_SCHEDULER_ID);
  }
  // Redis may come back empty (FLUSHALL, a restart without persistence): schedule again, reconcile now.
  const watch = keepReconcilerScheduled({
    queue: options.branchQueue as Queue<ReconcileJobData>,
    redis,
    prefix: config.queuePrefix,
    everyMs: every,
    ...(options.redisCheckEveryMs ? { checkEveryMs: options.redisCheckEveryMs } : {}),
    logger,
  });
  return {
    worker,
    async close() {
      watch.stop();
      await worker.close();
      await closeRedis(connection);
    },
  };
}
