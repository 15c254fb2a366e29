import type { Server } from 'node:http';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Probot } from 'probot';
import { createRedisAuditLog } from '../audit/redis-audit-log.ts';
import { createRedisEnvironmentLockStore } from '../chatops/stores/environment-lock-store.ts';
import { createRedisEnvironmentMutex } from '../chatops/stores/environment-mutex.ts';
import { createRedisOverrideStore } from '../chatops/stores/override-store.ts';
import { createRedisRollbackPlanStore } from '../chatops/stores/rollback-plan-store.ts';
import type { EnvConfig } from '../config/read-env-config.ts';
import { createCommandPlatformForJob } from '../platform/create-command-platform-for-job.ts';
import { createPlatformForJob } from '../platform/create-platform-for-job.ts';
import { createProbot } from '../platform/github/create-probot.ts';
import { BRANCH_QUEUE, type PushJobData, type ReconcileJobData } from '../queue/branch-job.ts';
import { CHECK_QUEUE, type CheckJobData } from '../queue/check-job.ts';
import { COMMAND_QUEUE, type CommandJobData, type ConfirmPollJobData } from '../queue/command-job.ts';
import { enqueueCheck } from '../queue/enqueue-check.ts';
import { enqueueCommand } from '../queue/enqueue-command.ts';
import { enqueuePush } from '../queue/enqueue-push.ts';
import { enqueueRecheck } from '../queue/enqueue-recheck.ts';
import { createCheckProcessor } from '../queue/process-check-job.ts';
import { createCommandProcessor } from '../queue/process-command-job.ts';
import { type BranchWorkerOptions, startBranchWorker } from '../queue/start-branch-worker.ts';
import { readShippedPolicies } from '../shipped/read-shipped-policies.ts';
import { createTollgateServer } from './create-server.ts';

/** Waits for the first connection, but starts anyway when Redis is down: webhooks then get 503. */
async function waitUntilReady(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, timeoutMs);
    function done() {
      clearTimeout(timer);
      redis.off('ready', done);
      resolve();
    }
    redis.once('ready', done);
  });
}

/**
 * Builds the concrete adapters from validated configuration. Producers fail fast when Redis is
 * down (the webhook answers 503); workers wait for Redis forever (`maxRetriesPerRequest: null`),
 * as BullMQ's production guide asks.
 */
export function createRuntime(config: EnvConfig, logger: Logger) {
  const producerRedis = new Redis(config.redisUrl, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    lazyConnect: false,
  });
  producerRedis.on('error', (error) => logger.warn({ err: error }, 'redis (producer) error'));
  const queue = new Queue<CheckJobData>(CHECK_QUEUE, {
    connection: producerRedis,
    prefix: config.queuePrefix,
  });
  queue.on('error', (error) => logger.warn({ err: error }, 'queue error'));
  const probot: Probot | undefined = config.github ? createProbot(config.github, logger) : undefined;
  const closers: (() => Promise<unknown>)[] = [];

  const enqueue = (job: CheckJobData) =>
    enqueueCheck(queue, producerRedis, job, {
      debounceMs: config.debounceMs,
      attempts: config.jobAttempts,
      retryDelayMs: config.retryDelayMs,
    });
  // Chat-ops: comments with slash commands go to their own queue, so a rollback never waits behind checks.
  const commandQueue = new Queue<CommandJobData | ConfirmPollJobData>(COMMAND_QUEUE, {
    connection: producerRedis,
    prefix: config.queuePrefix,
  });
  commandQueue.on('error', (error) => logger.warn({ err: error }, 'command queue error'));
  const enqueueCommandJob = (job: CommandJobData) => enqueueCommand(commandQueue, producerRedis, job);
  // Branch discipline: push jobs and the reconciler share one queue.
  const branchQueue = new Queue<PushJobData | ReconcileJobData>(BRANCH_QUEUE, {
    connection: producerRedis,
    prefix: config.queuePrefix,
  });
  branchQueue.on('error', (error) => logger.warn({ err: error }, 'branch queue error'));
  const enqueueBranchPush = (job: PushJobData) =>
    enqueuePush(branchQueue, producerRedis, job, { attempts: config.jobAttempts });

  return {
    queue,
    branchQueue,
    probot,
    enqueue,

    async startServer(): Promise<Server> {
      await waitUntilReady(producerRedis, 5_000);
      const server = await createTollgateServer({
        enqueue,
        enqueueCommand: enqueueCommandJob,
        enqueuePush: enqueueBranchPush,
        ping: () => producerRedis.ping(),
        logger,
        ...(probot && config.github
          ? { github: { probot, webhookSecret: config.github.webhookSecret } }
          : {}),
        ...(config.gitlab ? { gitlab: { webhookSecret: config.gitlab.webhookSecret } } : {}),
      });
      await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
      closers.push(
        () =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeIdleConnections();
          }),
      );
      return server;
    },

    startWorker(): Worker<CheckJobData> {
      const connection = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
      const worker = new Worker<CheckJobData>(
        CHECK_QUEUE,
        createCheckProcessor(createPlatformForJob(config, probot), logger, {
          shippedPolicies: readShippedPolicies(),
          processEnv: { PATH: process.env.PATH, LANG: process.env.LANG },
        }),
        {
          connection,
          prefix: config.queuePrefix,
          concurrency: config.workerConcurrency,
        },
      );
      worker.on('error', (error) => logger.warn({ err: error }, 'worker error'));
      const commandConnection = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
      const commandWorker = new Worker<CommandJobData | ConfirmPollJobData>(
        COMMAND_QUEUE,
        createCommandProcessor({
          platformFor: createCommandPlatformForJob(config, probot),
          stores: {
            locks: createRedisEnvironmentLockStore(commandConnection),
            mutex: createRedisEnvironmentMutex(commandConnection),
            plans: createRedisRollbackPlanStore(commandConnection),
            overrides: createRedisOverrideStore(commandConnection),
            audit: createRedisAuditLog(commandConnection),
          },
          requestRecheck: async (job, number, headSha, reason) => {
            await enqueueRecheck(
              queue,
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
          logger,
        }),
        { connection: commandConnection, prefix: config.queuePrefix, concurrency: config.workerConcurrency },
      );
      commandWorker.on('error', (error) => logger.warn({ err: error }, 'command worker error'));
      closers.push(async () => {
        await worker.close();
        await commandWorker.close();
        connection.disconnect();
        commandConnection.disconnect();
      });
      return worker;
    },

    /** Push jobs and the reconciler (scheduled every few minutes, and once now). */
    async startBranchWorker(
      options: Pick<BranchWorkerOptions, 'reconcileEveryMs' | 'gitlabProjects'> = {},
    ): Promise<Worker<PushJobData | ReconcileJobData>> {
      const branch = await startBranchWorker({
        ...options,
        config,
        logger,
        probot,
        checkQueue: queue,
        branchQueue,
        redis: producerRedis,
      });
      closers.push(() => branch.close());
      return branch.worker;
    },

    /** Graceful: stop taking webhooks, let running jobs finish, then close Redis. */
    async close(): Promise<void> {
      for (const close of closers.reverse()) await close();
      await queue.close();
      await commandQueue.close();
      await branchQueue.close();
      producerRedis.disconnect();
    },
  };
}

export type Runtime = ReturnType<typeof createRuntime>;
