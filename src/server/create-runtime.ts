import type { Server } from 'node:http';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Probot } from 'probot';
import type { EnvConfig } from '../config/read-env-config.ts';
import { createPlatformForJob } from '../platform/create-platform-for-job.ts';
import { createProbot } from '../platform/github/create-probot.ts';
import { BRANCH_QUEUE, type PushJobData, type ReconcileJobData } from '../queue/branch-job.ts';
import { CHECK_QUEUE, type CheckJobData } from '../queue/check-job.ts';
import { enqueueCheck } from '../queue/enqueue-check.ts';
import { enqueuePush } from '../queue/enqueue-push.ts';
import { createCheckProcessor } from '../queue/process-check-job.ts';
import { type BranchWorkerOptions, startBranchWorker } from '../queue/start-branch-worker.ts';
import { createTollgateServer } from './create-server.ts';

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
    enqueueCheck(queue, producerRedis, job, { debounceMs: config.debounceMs, attempts: config.jobAttempts });
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
    enqueuePush: enqueueBranchPush,

    async startServer(): Promise<Server> {
      const server = await createTollgateServer({
        enqueue,
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
        createCheckProcessor(createPlatformForJob(config, probot), logger),
        {
          connection,
          prefix: config.queuePrefix,
          concurrency: config.workerConcurrency,
        },
      );
      worker.on('error', (error) => logger.warn({ err: error }, 'worker error'));
      closers.push(async () => {
        await worker.close();
        connection.disconnect();
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
      await branchQueue.close();
      producerRedis.disconnect();
    },
  };
}

export type Runtime = ReturnType<typeof createRuntime>;
