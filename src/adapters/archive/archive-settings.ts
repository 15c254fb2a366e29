/** Limits on one downloaded repository archive. */
export interface ArchiveLimits {
  /** Compressed bytes downloaded; the download is aborted past this. */
  maxArchiveBytes: number;
  /** Bytes of the unpacked tar stream (file contents plus tar headers): bounds memory and CPU. */
  maxExtractedBytes: number;
  /** Entries of the archive (files, folders, links). */
  maxFiles: number;
}

/**
 * How the worker reads the trees it reviews.
 * - `archive` (default): one archive download per commit, unpacked in memory and cached by SHA.
 * - `api`: the tree listing plus one API call per file (blob cache by SHA).
 * Every review lists and reads both whole trees (configuration, policies, every environment at
 * base and head), so the per-file path costs at least a listing plus one request per file and
 * commit, while the archive costs one request per commit whatever the size: no file count makes
 * the per-file path cheaper in requests (bench/trees.bench.ts: 512 against 2 for 500 files).
 * The per-file path stays for operators (`api`) and as GitLab's fallback when the archive
 * endpoint alone is rate limited.
 * Unpacked in memory rather than to a temporary folder: the review holds the files in memory
 * anyway, nothing written means no link or `..` can escape and nothing is left to clean up, and
 * the limits bound the memory (render commands still get their own folder from materializeTree).
 */
export interface ArchiveSettings {
  treeSource: 'archive' | 'api';
  limits: ArchiveLimits;
  /** Total bytes of unpacked trees kept between reviews (least recently used first out). */
  cacheBytes: number;
  /** Whole download, headers to last byte. */
  timeoutMs: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_ARCHIVE_SETTINGS: ArchiveSettings = {
  treeSource: 'archive',
  limits: { maxArchiveBytes: 200 * MiB, maxExtractedBytes: 256 * MiB, maxFiles: 50_000 },
  cacheBytes: 256 * MiB,
  timeoutMs: 120_000,
};

/** The environment variable that sets each limit (named in findings and errors). */
export const ARCHIVE_LIMIT_SETTINGS: Record<keyof ArchiveLimits, string> = {
  maxArchiveBytes: 'TOLLGATE_ARCHIVE_MAX_BYTES',
  maxExtractedBytes: 'TOLLGATE_ARCHIVE_MAX_EXTRACTED_BYTES',
  maxFiles: 'TOLLGATE_ARCHIVE_MAX_FILES',
};
