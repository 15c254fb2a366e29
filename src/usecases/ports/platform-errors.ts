/**
 * Errors carry retry semantics; the queue maps them to outcomes in one place.
 * - TransientPlatformError: 5xx, network, timeouts — retry with backoff.
 * - RateLimitedError: 429 / secondary rate limit — wait `retryAfterMs`, then retry.
 * - PermanentPlatformError: other 4xx (missing permission, not found) — do not retry.
 */
export class TransientPlatformError extends Error {
  override name = 'TransientPlatformError';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export class RateLimitedError extends TransientPlatformError {
  override name = 'RateLimitedError';
  constructor(
    message: string,
    readonly retryAfterMs: number,
    status = 429,
  ) {
    super(message, status);
  }
}

export class PermanentPlatformError extends Error {
  override name = 'PermanentPlatformError';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

const DEFAULT_RATE_LIMIT_WAIT_MS = 60_000;

/** Reads `Retry-After` (seconds or HTTP date) or GitHub's `x-ratelimit-reset` (epoch seconds). */
export function readRetryAfterMs(
  headers: Record<string, string | undefined>,
  now = Date.now(),
): number | undefined {
  const retryAfter = headers['retry-after'];
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(retryAfter);
    if (Number.isFinite(date)) return Math.max(0, date - now);
  }
  if (headers['x-ratelimit-remaining'] === '0' && headers['x-ratelimit-reset']) {
    return Math.max(0, Number(headers['x-ratelimit-reset']) * 1000 - now);
  }
  return undefined;
}

/** Turns an HTTP failure into the error class that decides what the queue does next. */
export function classifyHttpFailure(
  what: string,
  status: number,
  headers: Record<string, string | undefined>,
  detail = '',
): Error {
  const message = `${what} failed with HTTP ${status}${detail ? `: ${detail}` : ''}`;
  const retryAfterMs = readRetryAfterMs(headers);
  if (status === 429 || ((status === 403 || status === 429) && retryAfterMs !== undefined)) {
    return new RateLimitedError(message, retryAfterMs ?? DEFAULT_RATE_LIMIT_WAIT_MS, status);
  }
  if (status >= 500 || status === 408) return new TransientPlatformError(message, status);
  return new PermanentPlatformError(message, status);
}
