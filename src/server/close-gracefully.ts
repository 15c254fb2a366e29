import type { Server } from 'node:http';
import { Job, type Queue, type Worker } from 'bullmq';
import type { Logger } from 'pino';

/** Jobs a worker process is running now, with the lock token each was taken with. */
export type ActiveJobs = Map<string, { job: Job; token: string | undefined }>;

export function timeout(ms: number): Promise<'timeout'> {
  return new Promise((resolve) => setTimeout(() => resolve('timeout'), ms).unref());
}

/** Stops taking connections, lets requests in flight finish (up to `timeoutMs`), then cuts the rest. */
export async function closeServer(server: Server, timeoutMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  if ((await Promise.race([closed, timeout(timeoutMs)])) === 'timeout') {
    server.closeAllConnections();
    await closed;
  }
}

/**
 * Stops taking jobs and waits up to `timeoutMs` for the running ones. Jobs still running then are
 * handed back to the queue (moved to waiting, their lock released) so another worker runs them
 * at once; a job whose hand-back fails is still safe — its lock expires and stalled-job detection
 * queues it again.
 */
export async function closeWorker(
  worker: Worker,
  active: ActiveJobs,
  timeoutMs: number,
  logger: Logger,
  queue: Queue,
): Promise<void> {
  // Take no new job, but do not wait here: the running ones get until the deadline.
  await worker.pause(true);
  const deadline = Date.now() + timeoutMs;
  while (active.size > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (active.size === 0) {
    await worker.close();
    return;
  }
  logger.warn({ jobs: [...active.keys()] }, 'jobs still running at shutdown; handing them back to the queue');
  const running = [...active.values()];
  // Close first (force: without waiting for those jobs), so this worker cannot take a job back the
  // moment it reappears in the waiting list; then hand the jobs back through the queue's connection.
  await worker.close(true);
  for (const { job, token } of running) {
    try {
      const fresh = await Job.fromId(queue, job.id!);
      // BullMQ answers a lock problem with a negative code rather than an error.
      const result = fresh ? await fresh.moveToWait(token) : -1;
      if (result < 0) throw new Error(`BullMQ refused the hand-back (code ${result})`);
    } catch (error) {
      logger.warn({ err: error, jobId: job.id }, 'could not hand the job back; stalled-job detection will');
    }
  }
}
