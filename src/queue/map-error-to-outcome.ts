import { PermanentPlatformError, RateLimitedError } from '../usecases/ports/platform-errors.ts';

/** What the queue does with a job whose processor threw. */
export type JobErrorOutcome =
  /** A rate limit: wait until the platform's `Retry-After` without using up an attempt. */
  | { kind: 'delay'; untilMs: number; retryAfterMs: number; reason: string }
  /** A transient error with attempts left: BullMQ retries with backoff. */
  | { kind: 'retry'; reason: string }
  /** Permanent, out of attempts, or not safe to repeat: the job fails with a reason a user can read. */
  | { kind: 'fail'; reason: string };

export interface JobAttempt {
  /** Attempts already made before this one (BullMQ `job.attemptsMade`). */
  attemptsMade: number;
  /** Attempts the job may make (`job.opts.attempts`, default 1). */
  attempts: number;
  /** The processor holds the job's lock token, so it can move the job to delayed. */
  canDelay: boolean;
  /**
   * False once the job may have changed something a repeat would change again (a chat-ops command
   * that started acting): it then fails instead of waiting or retrying.
   */
  mayRepeat?: boolean;
  now?: number;
}

/** The one line a user reads for an error: its message, never a stack. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The one mapping from platform errors to queue outcomes, used by every processor (check, branch,
 * command): RateLimitedError waits until Retry-After, PermanentPlatformError fails at once, any
 * other error retries while attempts are left.
 */
export function mapErrorToOutcome(error: unknown, attempt: JobAttempt): JobErrorOutcome {
  const reason = describeError(error);
  const mayRepeat = attempt.mayRepeat ?? true;
  if (error instanceof RateLimitedError && attempt.canDelay && mayRepeat) {
    const { retryAfterMs } = error;
    return { kind: 'delay', untilMs: (attempt.now ?? Date.now()) + retryAfterMs, retryAfterMs, reason };
  }
  if (error instanceof PermanentPlatformError || !mayRepeat) return { kind: 'fail', reason };
  if (attempt.attemptsMade + 1 >= attempt.attempts) return { kind: 'fail', reason };
  return { kind: 'retry', reason };
}
