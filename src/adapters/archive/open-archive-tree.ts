import { RateLimitedError } from '../../usecases/ports/platform-errors.ts';
import type { SourceTree } from '../../usecases/ports/source-tree.ts';
import type { ArchiveLimits } from './archive-settings.ts';
import type { ArchiveCache } from './create-archive-cache.ts';
import type { ArchiveSnapshot } from './extract-tar-gzip.ts';

/** What a platform adapter needs to serve trees from archives (one per worker process). */
export interface ArchiveTrees {
  cache: ArchiveCache;
  limits: ArchiveLimits;
  timeoutMs: number;
}

export interface OpenArchiveTreeOptions {
  cache: ArchiveCache;
  /** Cache key: platform, project and SHA (the same SHA in two projects is two entries). */
  key: string;
  /** Downloads and unpacks the archive of `sha` (called at most once per key while cached). */
  download: () => Promise<ArchiveSnapshot>;
  /**
   * The per-file API tree, used instead when the archive endpoint is rate limited while the
   * general API is not (GitLab.com allows 5 archive downloads a minute per user).
   */
  fallback?: () => SourceTree;
}

/**
 * A SourceTree served from the commit's archive: nothing is fetched until the first read, then
 * one download (shared through the cache) answers every `listFiles` and `readFile`.
 */
export function openArchiveTree(sha: string, options: OpenArchiveTreeOptions): SourceTree {
  let source: Promise<ArchiveSnapshot | SourceTree> | undefined;
  const open = () => {
    source ??= options.cache.get(options.key, options.download).catch((error: unknown) => {
      if (error instanceof RateLimitedError && options.fallback) return options.fallback();
      throw error;
    });
    return source;
  };
  return {
    sha,
    async listFiles() {
      const s = await open();
      return 'files' in s ? [...s.files.keys()] : s.listFiles();
    },
    async readFile(path) {
      const s = await open();
      return 'files' in s ? s.files.get(path) : s.readFile(path);
    },
  };
}
