import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { TransientPlatformError } from '../../usecases/ports/platform-errors.ts';
import { RepositoryArchiveError } from '../../usecases/ports/repository-archive-error.ts';
import { ARCHIVE_LIMIT_SETTINGS } from '../archive/archive-settings.ts';
import { type ArchiveSnapshot, extractTarGzip } from '../archive/extract-tar-gzip.ts';
import type { ArchiveTrees } from '../archive/open-archive-tree.ts';
import { callGitHub, type GitHubClient } from './github-request.ts';

/**
 * Downloads the tarball of a commit (`GET /repos/{owner}/{repo}/tarball/{ref}`: one API request,
 * answered with a 302 to codeload, which fetch follows without the token) and unpacks it in memory,
 * streaming, within the limits. The body is read raw (`parseSuccessResponseBody: false`) so the
 * byte caps stop the download instead of buffering it whole.
 */
export async function downloadGitHubTarball(
  octokit: GitHubClient,
  repository: { owner: string; repo: string },
  sha: string,
  archives: Pick<ArchiveTrees, 'limits' | 'timeoutMs'>,
): Promise<ArchiveSnapshot> {
  const what = `download the archive of ${sha.slice(0, 12)}`;
  const signal = AbortSignal.timeout(archives.timeoutMs);
  const response = await callGitHub(what, () =>
    octokit.request('GET /repos/{owner}/{repo}/tarball/{ref}', {
      ...repository,
      ref: sha,
      request: { parseSuccessResponseBody: false, signal },
    }),
  );
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > archives.limits.maxArchiveBytes) {
    await (response.data as unknown as WebReadableStream | null)?.cancel().catch(() => undefined);
    throw new RepositoryArchiveError(
      'max-archive-bytes',
      `The archive of ${sha.slice(0, 12)} is ${declared} bytes, over the limit of ${archives.limits.maxArchiveBytes} bytes (${ARCHIVE_LIMIT_SETTINGS.maxArchiveBytes}); Tollgate did not download it and reviewed nothing.`,
      ARCHIVE_LIMIT_SETTINGS.maxArchiveBytes,
    );
  }
  const body = response.data as unknown as WebReadableStream<Uint8Array> | null;
  if (!body) throw new TransientPlatformError(`GitHub ${what} failed: the answer had no body`);
  return extractTarGzip(Readable.fromWeb(body), archives.limits, { sha, label: `GitHub ${what}` });
}
