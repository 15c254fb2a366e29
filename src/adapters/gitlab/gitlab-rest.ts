import { classifyHttpFailure, TransientPlatformError } from '../../usecases/ports/platform-errors.ts';

type Query = Record<string, string | number | boolean | undefined>;

export interface GitLabRest {
  get<T>(path: string, query?: Query): Promise<T>;
  /** Follows `x-next-page` until the last page. */
  getAll<T>(path: string, query?: Query): Promise<T[]>;
  send<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T>;
}

/**
 * A small single-shot GitLab REST client for the branch-discipline reads and writes: one request,
 * no retries (the queue retries), failures mapped to the platform errors. `path` starts after
 * `/api/v4`, with ids already encoded (see `projectPath`).
 */
export function createGitLabRest(options: { host: string; token: string }): GitLabRest {
  const root = `${options.host.replace(/\/+$/, '')}/api/v4`;

  async function request(method: string, path: string, query?: Query, body?: unknown) {
    const url = new URL(`${root}${path}`);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: {
          'private-token': options.token,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      throw new TransientPlatformError(
        `GitLab ${method} ${url.pathname} failed: ${(error as Error).message}`,
      );
    }
    const headers = Object.fromEntries(response.headers.entries());
    const text = await response.text();
    if (!response.ok) {
      let detail = response.statusText;
      try {
        const json = JSON.parse(text) as { message?: unknown; error?: unknown };
        detail =
          typeof json.message === 'string' ? json.message : JSON.stringify(json.message ?? json.error ?? '');
      } catch {
        // not JSON: keep the status text
      }
      throw classifyHttpFailure(`GitLab ${method} ${url.pathname}`, response.status, headers, detail);
    }
    return { data: text ? (JSON.parse(text) as unknown) : null, headers };
  }

  return {
    async get<T>(path: string, query?: Query) {
      return (await request('GET', path, query)).data as T;
    },
    async getAll<T>(path: string, query?: Query) {
      const all: T[] = [];
      let page: string | undefined = '1';
      for (let i = 0; page && i < 200; i++) {
        const { data, headers } = await request('GET', path, { ...query, per_page: 100, page });
        all.push(...(data as T[]));
        page = headers['x-next-page'] || undefined;
      }
      return all;
    },
    async send<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown) {
      return (await request(method, path, undefined, body)).data as T;
    },
  };
}

/** `/projects/:id` with the id or `group/project` path encoded as GitLab expects. */
export function projectPath(projectId: number | string): string {
  return `/projects/${encodeURIComponent(String(projectId))}`;
}
