import type { Server } from 'node:http';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Probot } from 'probot';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { EnvConfig } from '../config/read-env-config.ts';
import { createMetrics } from '../observability/create-metrics.ts';
import { instrumentProcessor } from '../observability/instrument-processor.ts';
import { createPlatformForJob } from '../platform/create-platform-for-job.ts';
import { createProbot } from '../platform/github/create-probot.ts';
import { CHECK_QUEUE, type CheckJobData } from '../queue/check-job.ts';
import { enqueueCheck } from '../queue/enqueue-check.ts';
import { createCheckProcessor } from '../queue/process-check-job.ts';
import { type ActiveJobs, closeServer, closeWorker } from './close-gracefully.ts';
import { createMetricsServer } from './create-metrics-server.ts';
import { createQueueDashboard } from './create-queue-dashboard.ts';
import { createTollgateServer } from './create-server.ts';

export interface RuntimeOptions {
  /** Registry for the metrics (tests pass their own); default: a fresh one with process metrics. */
  registry?: Registry;
}

/**
 * Builds the concrete adapters from validated configuration. Producers fail fast when Redis is
 * down (the webhook answers 503); workers wait for Redis forever (`maxRetriesPerRequest: null`),
 * as BullMQ's production guide asks.
 */
export function createRuntime(config: EnvConfig, logger: Logger, options: RuntimeOptions = {}) {
  let registry = options.registry;
  if (!registry) {
    registry = new Registry();
    if (config.metricsEnabled) collectDefaultMetrics({ register: registry, prefix: 'tollgate_' });
  }
  const metrics = config.metricsEnabled ? createMetrics(registry) : undefined;
  const observeApiCall = metrics?.observeApiCall;
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
  const probot: Probot | undefined = config.github
    ? createProbot(config.github, logger, observeApiCall)
    : undefined;
  // Closed in this order on shutdown: webhooks first, then workers, then listeners and Redis.
  const stopIntake: (() => Promise<unknown>)[] = [];
  const stopWork: (() => Promise<unknown>)[] = [];
  const stopRest: (() => Promise<unknown>)[] = [];
  let draining = false;

  const enqueue = (job: CheckJobData) =>
    enqueueCheck(queue, producerRedis, job, { debounceMs: config.debounceMs, attempts: config.jobAttempts });

  const listen = (server: Server, port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, config.host, () => {
        server.off('error', reject);
        resolve();
      });
    });

  return {
    queue,
    probot,
    enqueue,
    metrics,
    registry,

    async startServer(): Promise<Server> {
      metrics?.watchQueues(queue);
      const server = await createTollgateServer({
        enqueue,
        ping: () => producerRedis.ping(),
        logger,
        ...(probot && config.github
          ? { github: { probot, webhookSecret: config.github.webhookSecret } }
          : {}),
        ...(config.gitlab ? { gitlab: { webhookSecret: config.gitlab.webhookSecret } } : {}),
        ...(metrics ? { metrics } : {}),
        ...(config.dashboard ? { dashboard: createQueueDashboard([queue], config.dashboard) } : {}),
        isDraining: () => draining,
      });
      await listen(server, config.port);
      stopIntake.push(() => closeServer(server, config.shutdownTimeoutMs));
      return server;
    },

    startWorker(): Worker<CheckJobData> {
      const connection = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
      const active: ActiveJobs = new Map();
      const processCheck = createCheckProcessor(
        createPlatformForJob(config, probot, observeApiCall),
        logger,
        {
          ...(metrics ? { onReport: metrics.recordFindings } : {}),
        },
      );
      const instrumented = metrics ? instrumentProcessor(CHECK_QUEUE, processCheck, metrics) : processCheck;
      const worker = new Worker<CheckJobData>(
        CHECK_QUEUE,
        async (job, token) => {
          active.set(job.id!, { job, token });
          try {
            return await instrumented(job, token);
          } finally {
            active.delete(job.id!);
          }
        },
        {
          connection,
          prefix: config.queuePrefix,
          concurrency: config.workerConcurrency,
          lockDuration: config.workerLockDurationMs,
          stalledInterval: config.workerStalledIntervalMs,
          maxStalledCount: config.workerMaxStalledCount,
        },
      );
      worker.on('error', (error) => logger.warn({ err: error }, 'worker error'));
      worker.on('stalled', (jobId) =>
        logger.warn({ jobId }, 'job stalled (its worker died or hung); queued again'),
      );
      stopWork.push(async () => {
        await closeWorker(worker, active, config.shutdownTimeoutMs, logger, queue);
        connection.disconnect();
      });
      return worker;
    },

    /** A worker's /metrics and /healthz listener on METRICS_PORT (the server serves both on PORT). */
    async startMetricsServer(): Promise<Server | undefined> {
      if (!metrics) return undefined;
      const server = createMetricsServer(registry);
      await listen(server, config.metricsPort);
      stopRest.push(() => closeServer(server, 1_000));
      return server;
    },

    /** Graceful: stop taking webhooks, let running jobs finish or hand them back, then close Redis. */
    async close(): Promise<void> {
      draining = true;
      for (const close of stopIntake) await close();
      await Promise.all(stopWork.map((close) => close()));
      for (const close of stopRest) await close();
      await queue.close();
      producerRedis.disconnect();
    },
  };
}

export type Runtime = ReturnType<typeof createRuntime>;
