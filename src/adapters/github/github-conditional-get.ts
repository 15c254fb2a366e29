import type { ConditionalCache } from '../../usecases/ports/branch-platform.ts';
import { callGitHub, type GitHubClient } from './github-request.ts';

interface Page<T> {
  items: T[];
  hasNext: boolean;
}

/**
 * GETs every page of a GitHub list with `If-None-Match`, when a cache is given: an unchanged page
 * answers 304 (free of rate limit) and its items come from the cache. `pick` trims each page to
 * what the caller needs, so the cache stays small.
 */
export async function getAllConditionally<T>(
  octokit: GitHubClient,
  what: string,
  route: string,
  params: Record<string, string | number>,
  pick: (data: unknown) => T[],
  cache: ConditionalCache | undefined,
): Promise<T[]> {
  const all: T[] = [];
  for (let page = 1; page <= 100; page++) {
    const key = `${route}|${JSON.stringify(params)}|${page}`;
    const cached = cache ? await cache.get(key) : undefined;
    let result: Page<T>;
    try {
      const response = await octokit.request(route, {
        ...params,
        per_page: 100,
        page,
        ...(cached ? { headers: { 'if-none-match': cached.etag } } : {}),
      });
      const link = String(response.headers.link ?? '');
      result = { items: pick(response.data), hasNext: /rel="next"/.test(link) };
      const etag = response.headers.etag;
      if (cache && typeof etag === 'string') await cache.set(key, { etag, value: result });
    } catch (error) {
      if ((error as { status?: number }).status === 304 && cached) {
        result = cached.value as Page<T>;
      } else {
        // Map the failure to its retry semantics.
        await callGitHub(what, () => Promise.reject(error));
        throw error;
      }
    }
    all.push(...result.items);
    if (!result.hasNext) break;
  }
  return all;
}
