import type { Server } from 'node:http';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Probot } from 'probot';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { readShippedPolicies } from '../adapters/fs/read-shipped-policies.ts';
import { createProbot } from '../adapters/github/create-probot.ts';
import { createMetrics } from '../adapters/prometheus/create-metrics.ts';
import { instrumentProcessor } from '../adapters/prometheus/instrument-processor.ts';
import { closeRedis } from '../adapters/redis/close-redis.ts';
import { auditStreamKey, createRedisAuditLog } from '../adapters/redis/create-redis-audit-log.ts';
import { createRedisDetailsStore } from '../adapters/redis/create-redis-details-store.ts';
import { createRedisEnvironmentLockStore } from '../adapters/redis/create-redis-environment-lock-store.ts';
import { createRedisFinalCheckStore } from '../adapters/redis/create-redis-final-check-store.ts';
import { createRedisOverrideStore } from '../adapters/redis/create-redis-override-store.ts';
import { createRedisRouteSnapshotStore } from '../adapters/redis/create-redis-route-snapshot-store.ts';
import { createEnvironmentRenderer } from '../adapters/render/render-environment.ts';
import { createParsedManifestCache } from '../core/manifests/parsed-manifest-cache.ts';
import { BRANCH_QUEUE, type PushJobData, type ReconcileJobData } from '../queue/branch-job.ts';
import { CHECK_QUEUE, type CheckJobData } from '../queue/check-job.ts';
import { COMMAND_QUEUE, type CommandJobData, type ConfirmPollJobData } from '../queue/command-job.ts';
import { enqueueCheck } from '../queue/enqueue-check.ts';
import { enqueueCommand } from '../queue/enqueue-command.ts';
import { enqueuePush } from '../queue/enqueue-push.ts';
import { enqueueRecheck } from '../queue/enqueue-recheck.ts';
import { createCheckProcessor } from '../queue/process-check-job.ts';
import { requeueCheck } from '../queue/requeue-check.ts';
import { type ActiveJobs, closeServer, closeWorker } from './close-gracefully.ts';
import { createMetricsServer } from './create-metrics-server.ts';
import { createQueueDashboard } from './create-queue-dashboard.ts';
import { createTollgateServer } from './create-server.ts';
import { createWorkerRenderRunner } from './create-worker-render-runner.ts';
import { createDetailsHandler } from './details/create-details-handler.ts';
import { publishCheckDetails } from './details/publish-check-details.ts';
import { createPlatformForJob } from './platforms/create-platform-for-job.ts';
import type { EnvConfig } from './read-env-config.ts';
import { type BranchWorkerOptions, startBranchWorker } from './start-branch-worker.ts';
import { startCommandWorker } from './start-command-worker.ts';

/**
 * Source bytes of parsed files a worker keeps across reviews (the objects take a few times that):
 * about ten repositories of 1,700 apps.
 */
const WORKER_PARSE_CACHE_BYTES = 32 * 1024 * 1024;

export interface RuntimeOptions {
  /** Registry for the metrics (tests pass their own); default: a fresh one with process metrics. */
  registry?: Registry;
  /** Space GitHub writes as GitHub asks (default true; tests that do not time requests turn it off). */
  githubPacing?: boolean;
}

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
  const queueOptions = { connection: producerRedis, prefix: config.queuePrefix };
  const queue = new Queue<CheckJobData>(CHECK_QUEUE, queueOptions);
  // Chat-ops: comments with slash commands go to their own queue, so a rollback never waits behind checks.
  const commandQueue = new Queue<CommandJobData | ConfirmPollJobData>(COMMAND_QUEUE, queueOptions);
  // Branch discipline: push jobs and the reconciler share one queue.
  const branchQueue = new Queue<PushJobData | ReconcileJobData>(BRANCH_QUEUE, queueOptions);
  for (const q of [queue, commandQueue, branchQueue]) {
    q.on('error', (error) => logger.warn({ err: error, queue: q.name }, 'queue error'));
  }
  const probot: Probot | undefined = config.github
    ? createProbot(config.github, logger, observeApiCall, { pacing: options.githubPacing ?? true })
    : undefined;
  // Closed in this order on shutdown: webhooks first, then workers, then listeners and Redis.
  const stopIntake: (() => Promise<unknown>)[] = [];
  const stopWork: (() => Promise<unknown>)[] = [];
  const stopRest: (() => Promise<unknown>)[] = [];
  let draining = false;

  const enqueue = (job: CheckJobData) =>
    enqueueCheck(queue, producerRedis, job, {
      debounceMs: config.debounceMs,
      attempts: config.jobAttempts,
      retryDelayMs: config.retryDelayMs,
    });
  const enqueueCommandJob = (job: CommandJobData) =>
    enqueueCommand(commandQueue, producerRedis, job, config.queuePrefix);
  const enqueueBranchPush = (job: PushJobData) =>
    enqueuePush(branchQueue, producerRedis, job, { attempts: config.jobAttempts });

  /** Where a person on this machine reaches the server (0.0.0.0 and :: listen everywhere). */
  const serverUrl = (server: Server, host: string) => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const shown =
      host === '0.0.0.0' || host === '::' || host === ''
        ? 'localhost'
        : host.includes(':')
          ? `[${host}]`
          : host;
    return `http://${shown}:${port}`;
  };
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
    commandQueue,
    branchQueue,
    probot,
    enqueue,
    enqueuePush: enqueueBranchPush,
    metrics,
    registry,

    async startServer(): Promise<Server> {
      await waitUntilReady(producerRedis, 5_000);
      metrics?.watchQueues(queue, commandQueue, branchQueue);
      const server = await createTollgateServer({
        enqueue,
        enqueueCommand: enqueueCommandJob,
        enqueuePush: enqueueBranchPush,
        ping: () => producerRedis.ping(),
        logger,
        ...(probot && config.github
          ? { github: { probot, webhookSecret: config.github.webhookSecret } }
          : {}),
        maxUnauthenticatedReads: config.webhookReadSlots,
        ...(config.gitlab
          ? {
              gitlab: {
                webhookSecret: config.gitlab.webhookSecret,
                ...(config.gitlab.webhookSecrets ? { webhookSecrets: config.gitlab.webhookSecrets } : {}),
              },
            }
          : {}),
        ...(metrics ? { metrics } : {}),
        ...(config.dashboard
          ? { dashboard: createQueueDashboard([queue, commandQueue, branchQueue], config.dashboard) }
          : {}),
        isDraining: () => draining,
        ...(config.details
          ? {
              details: createDetailsHandler({
                secret: config.details.secret,
                store: createRedisDetailsStore(producerRedis, { prefix: config.queuePrefix }),
                locks: createRedisEnvironmentLockStore(producerRedis, config.queuePrefix),
                audit: createRedisAuditLog(producerRedis, auditStreamKey(config.queuePrefix)),
              }),
            }
          : {}),
      });
      await listen(server, config.port);
      stopIntake.push(() => closeServer(server, config.shutdownTimeoutMs));
      const url = serverUrl(server, config.host);
      logger.info(
        {
          url,
          ...(config.github ? { githubWebhook: `${url}/api/github/webhooks` } : {}),
          ...(config.gitlab ? { gitlabWebhook: `${url}/api/gitlab/webhooks` } : {}),
        },
        `listening on ${url}`,
      );
      return server;
    },

    /** The check worker, and the chat-ops worker beside it. */
    startWorker(): Worker<CheckJobData> {
      const connection = new Redis(config.redisUrl, { maxRetriesPerRequest: null });
      const active: ActiveJobs = new Map();
      const locks = createRedisEnvironmentLockStore(connection, config.queuePrefix);
      const overrides = createRedisOverrideStore(connection, config.queuePrefix);
      // Shared with the reconciler: heads with a final verdict (fail-fast connection).
      const finalChecks = createRedisFinalCheckStore(producerRedis, {
        prefix: `${config.queuePrefix}:branch`,
      });
      const processCheck = createCheckProcessor(
        createPlatformForJob(config, probot, observeApiCall),
        logger,
        {
          ...(metrics ? { onReport: metrics.recordFindings } : {}),
          // One job per (other MR, head, asking MR): asking again while it waits changes nothing.
          requestCrossChangeCheck: async (job, number, headSha, reason) => {
            const { rerun: _rerun, ...rest } = job;
            await enqueueRecheck(
              queue,
              { ...rest, number, headSha, reason, crossChangeOf: job.number! },
              config.jobAttempts,
              `cross-${job.number}-${job.headSha.slice(0, 12)}`,
            );
          },
          // The head moved on during a review: the check job of the new head, unless it exists.
          requestCheckOfHead: async (job, headSha) => {
            await requeueCheck(
              queue,
              producerRedis,
              {
                platform: job.platform,
                project: job.project,
                ...(job.projectId !== undefined ? { projectId: job.projectId } : {}),
                ...(job.installationId !== undefined ? { installationId: job.installationId } : {}),
                number: job.number!,
                headSha,
                deliveryId: `${job.deliveryId}.head.${headSha.slice(0, 12)}`,
                reason: `head moved on from ${job.headSha.slice(0, 12)}`,
              },
              { attempts: config.jobAttempts, retryDelayMs: config.retryDelayMs },
            );
          },
          finalChecks: {
            has: (job, headSha) =>
              finalChecks.has(`${job.platform}:${job.project}:${headSha}`).catch(() => false),
            add: (job, headSha) => finalChecks.add(`${job.platform}:${job.project}:${headSha}`),
          },
        },
        {
          render: createEnvironmentRenderer(createWorkerRenderRunner(config)),
          parseCache: createParsedManifestCache(WORKER_PARSE_CACHE_BYTES),
          shippedPolicies: readShippedPolicies(),
          readLocks: (platform) => locks.readLocks({ platform: platform.kind, project: platform.project }),
          readOverrides: (platform, number, headSha) =>
            overrides.readOverrides(platform.kind, platform.project, number, headSha),
          crossChange: { store: createRedisRouteSnapshotStore(connection, config.queuePrefix) },
          ...(config.details
            ? {
                publishDetails: publishCheckDetails(
                  createRedisDetailsStore(connection, { prefix: config.queuePrefix }),
                  config.details,
                ),
              }
            : {}),
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
      const commands = startCommandWorker({
        config,
        logger,
        probot,
        checkQueue: queue,
        commandQueue,
        ...(metrics ? { metrics } : {}),
      });
      stopWork.push(async () => {
        await Promise.all([
          closeWorker(worker, active, config.shutdownTimeoutMs, logger, queue),
          commands.close(),
        ]);
        await closeRedis(connection);
      });
      return worker;
    },

    /** Push jobs and the reconciler (scheduled every few minutes, and once now). */
    async startBranchWorker(
      options: Pick<BranchWorkerOptions, 'reconcileEveryMs' | 'gitlabProjects'> = {},
    ): Promise<Worker<PushJobData | ReconcileJobData>> {
      const branch = await startBranchWorker({
        reconcileEveryMs: config.reconcileEveryMs,
        ...(config.gitlabProjects.length ? { gitlabProjects: config.gitlabProjects } : {}),
        ...options,
        config,
        logger,
        probot,
        checkQueue: queue,
        branchQueue,
        redis: producerRedis,
      });
      stopWork.push(() => branch.close());
      return branch.worker;
    },

    /** The process's /metrics and /healthz listener on METRICS_PORT (never the public webhook port). */
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
      await Promise.all([queue.close(), commandQueue.close(), branchQueue.close()]);
      await closeRedis(producerRedis);
    },
  };
}

export type Runtime = ReturnType<typeof createRuntime>;
