import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { classifyHttpFailure, TransientPlatformError } from '../../usecases/ports/platform-errors.ts';
import { RepositoryArchiveError } from '../../usecases/ports/repository-archive-error.ts';
import { ARCHIVE_LIMIT_SETTINGS } from '../archive/archive-settings.ts';
import { type ArchiveSnapshot, extractTarGzip } from '../archive/extract-tar-gzip.ts';
import type { ArchiveTrees } from '../archive/open-archive-tree.ts';

/**
 * Downloads the archive of a commit (`GET /projects/:id/repository/archive.tar.gz?sha=SHA`: one
 * API request) and unpacks it in memory, streaming, within the limits. A 429 (GitLab.com allows
 * 5 archive downloads a minute per user) is a RateLimitedError, which the tree answers by falling
 * back to the per-file API.
 */
export async function downloadGitLabArchive(
  gitlab: { host: string; token: string; projectId: number | string },
  sha: string,
  archives: Pick<ArchiveTrees, 'limits' | 'timeoutMs'>,
): Promise<ArchiveSnapshot> {
  const path = `/api/v4/projects/${encodeURIComponent(String(gitlab.projectId))}/repository/archive.tar.gz`;
  const url = new URL(`${gitlab.host.replace(/\/+$/, '')}${path}`);
  url.searchParams.set('sha', sha);
  const what = `GitLab GET ${url.pathname}`;
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { 'private-token': gitlab.token, accept: 'application/gzip, */*' },
      signal: AbortSignal.timeout(archives.timeoutMs),
    });
  } catch (error) {
    throw new TransientPlatformError(`${what} failed: ${(error as Error).message}`);
  }
  if (!response.ok) {
    const text = await response.text().catch(() => '');
    let detail = response.statusText;
    try {
      const json = JSON.parse(text) as { message?: unknown };
      if (typeof json.message === 'string') detail = json.message;
    } catch {
      // not JSON: keep the status text
    }
    throw classifyHttpFailure(what, response.status, Object.fromEntries(response.headers.entries()), detail);
  }
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > archives.limits.maxArchiveBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new RepositoryArchiveError(
      'max-archive-bytes',
      `The archive of ${sha.slice(0, 12)} is ${declared} bytes, over the limit of ${archives.limits.maxArchiveBytes} bytes (${ARCHIVE_LIMIT_SETTINGS.maxArchiveBytes}); Tollgate did not download it and reviewed nothing.`,
      ARCHIVE_LIMIT_SETTINGS.maxArchiveBytes,
    );
  }
  if (!response.body) throw new TransientPlatformError(`${what} failed: the answer had no body`);
  return extractTarGzip(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), archives.limits, {
    sha,
    label: what,
  });
}
