import type { Queue } from 'bullmq';
import { type CheckJobData, checkJobId } from './check-job.ts';

/**
 * Queues a check of a head that may have been checked already: the job id carries a suffix, so
 * neither the (change, head) de-duplication nor a completed job of the same head stops it.
 */
export async function enqueueRecheck(
  queue: Queue<CheckJobData>,
  data: CheckJobData,
  attempts: number,
  suffix: string = String(Date.now()),
): Promise<string> {
  const jobId = `${checkJobId(data)}.recheck.${suffix.replace(/[^A-Za-z0-9._-]/g, '_')}`;
  await queue.add('check', data, {
    jobId,
    attempts,
    backoff: { type: 'exponential', delay: 5_000 },
    removeOnComplete: { age: 24 * 3600, count: 1000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  });
  return jobId;
}
