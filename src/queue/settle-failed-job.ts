import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import type { Logger } from 'pino';
import { type JobErrorOutcome, mapErrorToOutcome } from './map-error-to-outcome.ts';

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

/**
 * Maps a processor's error to its outcome (the one mapper every processor shares) and logs it the
 * same way everywhere: `what` names the job in the log line ("check", "branch job", ...).
 */
export function classifyFailedJob(
  job: Job,
  token: string | undefined,
  error: unknown,
  log: Logger,
  what: string,
  mayRepeat?: boolean,
): JobErrorOutcome {
  const attemptsMade = job.attemptsMade ?? 0;
  const outcome = mapErrorToOutcome(error, {
    attemptsMade,
    attempts: job.opts?.attempts ?? 1,
    canDelay: Boolean(token),
    ...(mayRepeat === undefined ? {} : { mayRepeat }),
  });
  if (outcome.kind === 'delay') {
    log.warn({ retryAfterMs: outcome.retryAfterMs }, 'rate limited by the platform; waiting');
  } else if (outcome.kind === 'retry') {
    log.warn({ err: error, attempt: attemptsMade + 1 }, `${what} failed; will retry`);
  } else {
    log.error({ err: error }, `${what} failed for good`);
  }
  return outcome;
}
