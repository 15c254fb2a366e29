import { createRequesterFn, type RequestOptions } from '@gitbeaker/requester-utils';
import type { ApiCallObserver } from '../../usecases/ports/api-call-observer.ts';
import { classifyHttpFailure, TransientPlatformError } from '../../usecases/ports/platform-errors.ts';

/**
 * gitbeaker's default requester retries 429 and 502 itself, up to 10 times over ~4 minutes,
 * ignoring Retry-After, while the job holds its worker slot. Tollgate retries in one place instead
 * (the queue, with backoff and Retry-After), so this requester sends each request exactly once and
 * turns failures into errors that carry their retry semantics.
 */
async function parseBody(response: Response): Promise<unknown> {
  if (response.status === 204) return null;
  const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
  if (type === 'application/json') return (await response.json()) ?? {};
  if (type.startsWith('text/')) return response.text();
  return response.blob();
}

async function sendOnce(endpoint: string, options?: RequestOptions, observe?: ApiCallObserver) {
  const { prefixUrl, searchParams, method, headers, body, signal } = (options ?? {}) as RequestOptions & {
    prefixUrl?: string;
    searchParams?: string;
    method?: string;
    headers?: Record<string, string>;
    body?: string | FormData;
    signal?: AbortSignal;
  };
  const base = prefixUrl ? (prefixUrl.endsWith('/') ? prefixUrl : `${prefixUrl}/`) : undefined;
  const url = new URL(endpoint, base);
  url.search = searchParams ?? '';
  let response: Response;
  const started = performance.now();
  const report = (status: number | 'network') =>
    observe?.({
      platform: 'gitlab',
      method: method ?? 'GET',
      status,
      durationSeconds: (performance.now() - started) / 1000,
    });
  try {
    response = await fetch(url, {
      method: method ?? 'GET',
      headers,
      body: body ?? null,
      signal: signal ?? null,
    });
    report(response.status);
  } catch (error) {
    report('network');
    throw new TransientPlatformError(
      `GitLab ${method ?? 'GET'} ${url.pathname} failed: ${(error as Error).message}`,
    );
  }
  const responseHeaders = Object.fromEntries(response.headers.entries());
  if (!response.ok) {
    let detail = '';
    try {
      const text = await response.text();
      const json = JSON.parse(text) as { message?: unknown; error?: unknown };
      detail =
        typeof json.message === 'string' ? json.message : JSON.stringify(json.message ?? json.error ?? '');
    } catch {
      detail = response.statusText;
    }
    throw classifyHttpFailure(
      `GitLab ${method ?? 'GET'} ${url.pathname}`,
      response.status,
      responseHeaders,
      detail,
    );
  }
  return { body: await parseBody(response), headers: responseHeaders, status: response.status };
}

/** A single-shot requester; `observe` hears of every request (metrics). */
export function createGitLabRequester(observe?: ApiCallObserver) {
  return createRequesterFn(
    (_service, requestOptions) => Promise.resolve(requestOptions),
    // biome-ignore lint/suspicious/noExplicitAny: gitbeaker's FormattedResponse is generic over body shapes
    ((endpoint: string, options?: RequestOptions) => sendOnce(endpoint, options, observe)) as any,
  );
}

export const gitlabRequester = createGitLabRequester();
