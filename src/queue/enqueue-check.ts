import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { type CheckJobData, changeRequestKey, checkJobId } from './check-job.ts';

export interface EnqueueOptions {
  /** Wait this long before running, so a burst of pushes runs once (0 = at once). */
  debounceMs: number;
  attempts: number;
}

export type EnqueueOutcome = 'queued' | 'duplicate-delivery' | 'duplicate-job';

const DELIVERY_TTL_SECONDS = 3 * 24 * 3600;

/**
 * Queues a check unless this delivery was seen already (platforms redeliver) or the same
 * (change, head SHA) job exists. Throws when Redis is unreachable, so the webhook can answer 503
 * and the platform marks the delivery failed.
 */
export async function enqueueCheck(
  queue: Queue<CheckJobData>,
  redis: Redis,
  data: CheckJobData,
  options: EnqueueOptions,
): Promise<EnqueueOutcome> {
  const deliveryKey = `tollgate:delivery:${data.platform}:${data.deliveryId}`;
  const fresh = await redis.set(deliveryKey, '1', 'EX', DELIVERY_TTL_SECONDS, 'NX');
  if (fresh !== 'OK') return 'duplicate-delivery';
  try {
    return await addCheckJob(queue, data, options);
  } catch (error) {
    // The delivery was not queued: forget it, or the platform's redelivery would be dropped as a duplicate.
    await redis.del(deliveryKey).catch(() => undefined);
    throw error;
  }
}

async function addCheckJob(
  queue: Queue<CheckJobData>,
  data: CheckJobData,
  options: EnqueueOptions,
): Promise<EnqueueOutcome> {
  const jobId = checkJobId(data);
  if (await queue.getJob(jobId)) return 'duplicate-job';
  await queue.add('check', data, {
    jobId,
    attempts: options.attempts,
    backoff: { type: 'exponential', delay: 2_000 },
    removeOnComplete: { age: 24 * 3600, count: 1000 },
    removeOnFail: { age: 7 * 24 * 3600 },
    ...(options.debounceMs > 0
      ? {
          delay: options.debounceMs,
          deduplication: { id: changeRequestKey(data), ttl: options.debounceMs, extend: true, replace: true },
        }
      : {}),
  });
  return 'queued';
}
