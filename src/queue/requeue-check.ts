import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { RecheckOutcome, RecheckRequest } from '../usecases/reconcile-open-change-requests.ts';
import { type CheckJobData, checkJobId } from './check-job.ts';
import { enqueueCheck } from './enqueue-check.ts';

/**
 * The reconciler's way into the check queue: the same job id as the webhook's job, so a check
 * that is queued or running is left alone; a job that failed for good without leaving a verdict
 * (the platform was down for all its attempts) is retried.
 */
export async function requeueCheck(
  queue: Queue<CheckJobData>,
  redis: Redis,
  request: RecheckRequest,
  options: { attempts: number; retryDelayMs?: number },
): Promise<RecheckOutcome> {
  const data: CheckJobData = { ...request };
  const existing = await queue.getJob(checkJobId(data));
  if (existing && (await existing.getState()) === 'failed') {
    await existing.retry('failed');
    return 'retried';
  }
  return enqueueCheck(queue, redis, data, {
    debounceMs: 0,
    attempts: options.attempts,
    retryDelayMs: options.retryDelayMs ?? 5_000,
  });
}
