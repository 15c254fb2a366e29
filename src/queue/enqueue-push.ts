import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { type PushJobData, pushJobId, type ReconcileJobData } from './branch-job.ts';
import type { EnqueueOutcome } from './enqueue-check.ts';

const DELIVERY_TTL_SECONDS = 3 * 24 * 3600;

/**
 * Queues a push job once per delivery and once per (before, after). Throws when Redis is
 * unreachable (the webhook answers 503); the delivery key is released when queuing fails, so the
 * platform's redelivery is not mistaken for a duplicate.
 */
export async function enqueuePush(
  queue: Queue<PushJobData | ReconcileJobData>,
  redis: Redis,
  data: PushJobData,
  options: { attempts: number },
): Promise<EnqueueOutcome> {
  const deliveryKey = `tollgate:delivery:${data.platform}:${data.deliveryId}`;
  const fresh = await redis.set(deliveryKey, '1', 'EX', DELIVERY_TTL_SECONDS, 'NX');
  if (fresh !== 'OK') return 'duplicate-delivery';
  try {
    const jobId = pushJobId(data);
    if (await queue.getJob(jobId)) return 'duplicate-job';
    await queue.add('push', data, {
      jobId,
      attempts: options.attempts,
      backoff: { type: 'exponential', delay: 2_000 },
      removeOnComplete: { age: 7 * 24 * 3600, count: 1000 },
      removeOnFail: { age: 14 * 24 * 3600 },
    });
    return 'queued';
  } catch (error) {
    await redis.del(deliveryKey).catch(() => undefined);
    throw error;
  }
}
