import { type Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Probot } from 'probot';
import type { TollgateMetrics } from '../adapters/prometheus/create-metrics.ts';
import { instrumentProcessor } from '../adapters/prometheus/instrument-processor.ts';
import { closeRedis } from '../adapters/redis/close-redis.ts';
import { auditStreamKey, createRedisAuditLog } from '../adapters/redis/create-redis-audit-log.ts';
import { createRedisEnvironmentLockStore } from '../adapters/redis/create-redis-environment-lock-store.ts';
import { createRedisEnvironmentMutex } from '../adapters/redis/create-redis-environment-mutex.ts';
import { createRedisOverrideStore } from '../adapters/redis/create-redis-override-store.ts';
import { createRedisRollbackPlanStore } from '../adapters/redis/create-redis-rollback-plan-store.ts';
import { createEnvironmentRenderer } from '../adapters/render/render-environment.ts';
import type { CheckJobData } from '../queue/check-job.ts';
import { COMMAND_QUEUE, type CommandJobData, type ConfirmPollJobData } from '../queue/command-job.ts';
import { enqueueRecheck } from '../queue/enqueue-recheck.ts';
import { createCommandProcessor } from '../queue/process-command-job.ts';
import { createChatOpsSettingsLoader } from '../usecases/load-chatops-settings.ts';
import { createWorkerRenderRunner } from './create-worker-render-runner.ts';
import { createChatOpsAdaptersForJob } from './platforms/create-chatops-adapters-for-job.ts';
import { createCommandPlatformForJob } from './platforms/create-command-platform-for-job.ts';
import type { EnvConfig } from './read-env-config.ts';

export interface CommandWorkerDeps {
  config: EnvConfig;
  logger: Logger;
  probot: Probot | undefined;
  checkQueue: Queue<CheckJobData>;
  commandQueue: Queue<CommandJobData | ConfirmPollJobData>;
  metrics?: TollgateMetrics;
}

/** The chat-ops worker: slash commands and rollback confirmations, on their own queue and connection. */
export function startCommandWorker(deps: CommandWorkerDeps): { worker: Worker; close(): Promise<void> } {
  const { config, logger, probot, checkQueue, commandQueue } = deps;
  const connection = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
  const adapters = createChatOpsAdaptersForJob(config, probot);
  const processor = createCommandProcessor({
    platformFor: createCommandPlatformForJob(config, probot),
    // `.tollgate.yml` from the default branch's head; the rollback plan shows the manifest diff.
    settingsFor: createChatOpsSettingsLoader<CommandJobData>({
      readerFor: adapters.readerFor,
      render: createEnvironmentRenderer(createWorkerRenderRunner(config)),
    }),
    doctorFor: adapters.doctorFor,
    stores: {
      locks: createRedisEnvironmentLockStore(connection, config.queuePrefix),
      mutex: createRedisEnvironmentMutex(connection, config.queuePrefix),
      plans: createRedisRollbackPlanStore(connection, config.queuePrefix),
      overrides: createRedisOverrideStore(connection, config.queuePrefix),
      audit: createRedisAuditLog(connection, auditStreamKey(config.queuePrefix)),
    },
    requestRecheck: async (job, number, headSha, reason) => {
      await enqueueRecheck(
        checkQueue,
        {
          platform: job.platform,
          project: job.project,
          ...(job.projectId !== undefined ? { projectId: job.projectId } : {}),
          ...(job.installationId !== undefined ? { installationId: job.installationId } : {}),
          number,
          headSha,
          deliveryId: job.deliveryId,
          reason,
        },
        config.jobAttempts,
      );
    },
    schedulePoll: async (data, delayMs) => {
      await commandQueue.add('confirm-poll', data, {
        delay: delayMs,
        attempts: 1,
        removeOnComplete: true,
        removeOnFail: { age: 24 * 3600 },
      });
    },
    pollIntervalMs: config.confirmPollMs,
    logger,
  });
  const worker = new Worker<CommandJobData | ConfirmPollJobData>(
    COMMAND_QUEUE,
    deps.metrics ? instrumentProcessor(COMMAND_QUEUE, processor, deps.metrics) : processor,
    { connection, prefix: config.queuePrefix, concurrency: config.workerConcurrency },
  );
  worker.on('error', (error) => logger.warn({ err: error }, 'command worker error'));
  return {
    worker,
    async close() {
      await worker.close();
      await closeRedis(connection);
    },
  };
}
