import { classifyHttpFailure, TransientPlatformError } from '../../usecases/ports/platform-errors.ts';

export interface GitLabJsonClient {
  get<T>(path: string, query?: Record<string, string | number | boolean>): Promise<T>;
  post<T>(path: string, body?: Record<string, unknown>): Promise<T>;
  put<T>(path: string, body?: Record<string, unknown>): Promise<T>;
}

/**
 * A minimal REST client for the few GitLab endpoints chat-ops calls (award emoji, members,
 * deployments, job retry, revert): one request each, no retries (the queue owns retry policy),
 * failures mapped to the platform errors that carry their retry semantics.
 */
export function createGitLabJsonClient(host: string, token: string): GitLabJsonClient {
  const api = `${host.replace(/\/+$/, '')}/api/v4`;
  const send = async <T>(
    method: string,
    path: string,
    init: { query?: Record<string, string | number | boolean>; body?: Record<string, unknown> },
  ) => {
    const url = new URL(`${api}${path}`);
    for (const [k, v] of Object.entries(init.query ?? {})) url.searchParams.set(k, String(v));
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          'private-token': token,
          accept: 'application/json',
          ...(init.body ? { 'content-type': 'application/json' } : {}),
        },
        ...(init.body ? { body: JSON.stringify(init.body) } : {}),
      });
    } catch (error) {
      throw new TransientPlatformError(
        `GitLab ${method} ${url.pathname} failed: ${(error as Error).message}`,
      );
    }
    const text = await response.text();
    if (!response.ok) {
      let detail = response.statusText;
      try {
        const json = JSON.parse(text) as { message?: unknown; error?: unknown };
        detail =
          typeof json.message === 'string'
            ? json.message
            : JSON.stringify(json.message ?? json.error ?? detail);
      } catch {
        // not JSON: keep the status text
      }
      throw classifyHttpFailure(
        `GitLab ${method} ${url.pathname}`,
        response.status,
        Object.fromEntries(response.headers.entries()),
        detail,
      );
    }
    return (text ? JSON.parse(text) : null) as T;
  };
  return {
    get: (path, query) => send('GET', path, query ? { query } : {}),
    post: (path, body) => send('POST', path, body ? { body } : {}),
    put: (path, body) => send('PUT', path, body ? { body } : {}),
  };
}
