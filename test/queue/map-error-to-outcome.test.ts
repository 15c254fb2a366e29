import { describe, expect, it } from 'vitest';
import { mapErrorToOutcome } from '../../src/queue/map-error-to-outcome.ts';
import {
  PermanentPlatformError,
  RateLimitedError,
  TransientPlatformError,
} from '../../src/usecases/ports/platform-errors.ts';

const first = { attemptsMade: 0, attempts: 3, canDelay: true, now: 1_000 };

describe('mapErrorToOutcome: one mapping for every processor', () => {
  it('waits out a rate limit until Retry-After, without using an attempt', () => {
    expect(mapErrorToOutcome(new RateLimitedError('429 from GitHub', 30_000), first)).toEqual({
      kind: 'delay',
      untilMs: 31_000,
      retryAfterMs: 30_000,
      reason: '429 from GitHub',
    });
  });

  it('retries a transient error while attempts are left, then fails with its message', () => {
    const error = new TransientPlatformError('502 Bad Gateway', 502);
    expect(mapErrorToOutcome(error, first).kind).toBe('retry');
    expect(mapErrorToOutcome(error, { ...first, attemptsMade: 2 })).toEqual({
      kind: 'fail',
      reason: '502 Bad Gateway',
    });
  });

  it('fails a permanent error at once', () => {
    expect(mapErrorToOutcome(new PermanentPlatformError('404 project not found'), first)).toEqual({
      kind: 'fail',
      reason: '404 project not found',
    });
  });

  it('retries a rate limit like a transient error when the job cannot be moved to delayed', () => {
    const error = new RateLimitedError('429', 30_000);
    expect(mapErrorToOutcome(error, { ...first, canDelay: false }).kind).toBe('retry');
    expect(mapErrorToOutcome(error, { ...first, canDelay: false, attempts: 1 }).kind).toBe('fail');
  });

  it('never waits or retries a job that may already have acted', () => {
    const acted = { ...first, mayRepeat: false };
    expect(mapErrorToOutcome(new RateLimitedError('429', 30_000), acted).kind).toBe('fail');
    expect(mapErrorToOutcome(new TransientPlatformError('503', 503), acted).kind).toBe('fail');
  });

  it('gives a thrown non-Error its text', () => {
    expect(mapErrorToOutcome('boom', { ...first, attempts: 1 })).toEqual({ kind: 'fail', reason: 'boom' });
  });
});
