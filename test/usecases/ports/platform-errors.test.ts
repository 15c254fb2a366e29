import { describe, expect, it } from 'vitest';
import {
  classifyHttpFailure,
  PermanentPlatformError,
  RateLimitedError,
  readRetryAfterMs,
  TransientPlatformError,
} from '../../../src/usecases/ports/platform-errors.ts';

describe('classifyHttpFailure', () => {
  it('maps statuses to retry semantics', () => {
    expect(classifyHttpFailure('x', 502, {})).toBeInstanceOf(TransientPlatformError);
    expect(classifyHttpFailure('x', 404, {})).toBeInstanceOf(PermanentPlatformError);
    const limited = classifyHttpFailure('x', 429, { 'retry-after': '7' });
    expect(limited).toBeInstanceOf(RateLimitedError);
    expect((limited as RateLimitedError).retryAfterMs).toBe(7000);
    // GitHub's primary rate limit: 403 with x-ratelimit-remaining 0.
    const reset = String(Math.floor(Date.now() / 1000) + 30);
    const primary = classifyHttpFailure('x', 403, {
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': reset,
    });
    expect(primary).toBeInstanceOf(RateLimitedError);
    expect(classifyHttpFailure('x', 403, {})).toBeInstanceOf(PermanentPlatformError);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(readRetryAfterMs({ 'retry-after': '2' }, now)).toBe(2000);
    expect(readRetryAfterMs({ 'retry-after': 'Thu, 01 Jan 2026 00:00:10 GMT' }, now)).toBe(10_000);
    expect(readRetryAfterMs({}, now)).toBeUndefined();
  });
});
