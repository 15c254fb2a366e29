import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import type { JobErrorOutcome } from './map-error-to-outcome.ts';

/**
 * Hands a failed job's outcome to BullMQ: `delay` moves it to delayed until the rate limit ends
 * (no attempt used), `retry` rethrows the error (BullMQ backs off and tries again), `fail` ends it
 * with the readable reason and no further attempt. Always throws.
 */
export async function settleFailedJob(
  job: Job,
  token: string | undefined,
  outcome: JobErrorOutcome,
  error: unknown,
): Promise<never> {
  if (outcome.kind === 'delay' && token) {
    await job.moveToDelayed(outcome.untilMs, token);
    throw new DelayedError();
  }
  if (outcome.kind === 'retry') throw error;
  throw new UnrecoverableError(outcome.reason);
}
