import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import type { TollgateMetrics } from './create-metrics.ts';

type Processor<T, R> = (job: Job<T>, token?: string) => Promise<R>;

/** Outcome of one attempt, as the queue will treat it. */
export function attemptOutcome(job: Job, error: unknown): 'retry' | 'delayed' | 'failed' {
  if (error instanceof DelayedError) return 'delayed';
  if (error instanceof UnrecoverableError) return 'failed';
  return job.attemptsMade + 1 >= (job.opts.attempts ?? 1) ? 'failed' : 'retry';
}

/** Wraps any queue's processor so each attempt is counted and timed, whatever the queue. */
export function instrumentProcessor<T, R>(
  queue: string,
  processor: Processor<T, R>,
  metrics: Pick<TollgateMetrics, 'recordJob'>,
): Processor<T, R> {
  return async (job, token) => {
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    try {
      const result = await processor(job, token);
      metrics.recordJob(queue, 'completed', seconds());
      return result;
    } catch (error) {
      metrics.recordJob(queue, attemptOutcome(job, error), seconds());
      throw error;
    }
  };
}
