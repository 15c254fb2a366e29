import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { RECONCILE_SCHEDULER_ID, type ReconcileJobData } from './branch-job.ts';
import { scheduleReconciler } from './process-branch-job.ts';

export interface KeepReconcilerOptions {
  queue: Queue<ReconcileJobData>;
  /** The fail-fast connection the queue uses; its reconnects are watched. */
  redis: Redis;
  prefix: string;
  /** The reconcile interval; 0 when the reconciler is off (a data loss is still logged). */
  everyMs: number;
  /** How often to look for a Redis that came back empty (default: a tenth of the interval, 1-30 s). */
  checkEveryMs?: number;
  logger: Logger;
}

/**
 * Redis may come back empty: FLUSHALL, a failover to an empty replica, a restart without
 * persistence. BullMQ keeps the reconciler's schedule in Redis and creates it only when a worker
 * starts, so after such a loss nothing would ever reconcile again, and the jobs of deliveries
 * already acknowledged are gone. This watches for it: a marker key set at start-up, looked for
 * periodically and on every reconnect. When the marker is gone the schedule is created again and
 * a reconcile runs at once; after a reconnect a reconcile runs at once too (webhooks answered 503
 * meanwhile and may not be redelivered). Several workers share one such run (one job id).
 */
export function keepReconcilerScheduled(options: KeepReconcilerOptions): { stop(): void } {
  const { queue, redis, logger, everyMs } = options;
  const marker = `${options.prefix}:redis-epoch`;
  const checkEveryMs =
    options.checkEveryMs ??
    (everyMs > 0 ? Math.min(30_000, Math.max(1_000, Math.floor(everyMs / 10))) : 30_000);
  let stopped = false;
  let running: Promise<void> | undefined;

  const reassert = async (trigger: 'reconnect' | 'data-lost') => {
    if (everyMs > 0) await scheduleReconciler(queue, everyMs, RECONCILE_SCHEDULER_ID, trigger);
    logger.info(
      { trigger },
      everyMs > 0 ? 'reconciler schedule re-asserted; reconciling now' : 'redis checked',
    );
  };

  const check = async (reconnected: boolean) => {
    // Set at start-up (below); missing now means Redis lost its data.
    if ((await redis.set(marker, new Date().toISOString(), 'NX')) === 'OK') {
      logger.error(
        'redis came back empty: queued jobs, environment locks, overrides, pending rollback plans and the audit trail it held are gone; re-creating the reconciler schedule',
      );
      await reassert('data-lost');
      return;
    }
    if (reconnected) await reassert('reconnect');
  };

  const run = (reconnected: boolean) => {
    if (stopped || running) return;
    running = check(reconnected)
      .catch((error: unknown) => logger.warn({ err: error }, 'could not check the reconciler schedule'))
      .finally(() => {
        running = undefined;
      });
  };

  let wasDown = false;
  const onClose = () => {
    wasDown = true;
  };
  const onReady = () => {
    if (!wasDown) return;
    wasDown = false;
    run(true);
  };
  redis
    .set(marker, new Date().toISOString(), 'NX')
    .catch((error: unknown) => logger.warn({ err: error }, 'could not mark the redis epoch'));
  redis.on('close', onClose);
  redis.on('ready', onReady);
  const timer = setInterval(() => run(false), checkEveryMs);
  timer.unref();
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
      redis.off('close', onClose);
      redis.off('ready', onReady);
    },
  };
}
