import { ConfigError } from '../../server/read-env-config.ts';

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

type Env = Readonly<Record<string, string | undefined>>;

function whole(env: Env, name: string, fallback: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new ConfigError(
      `${name}=${JSON.stringify(raw)} is invalid: expected a whole number from 1 to ${max}`,
    );
  }
  return value;
}

/**
 * Reads the archive settings from the environment (entry points only):
 * TOLLGATE_TREE_SOURCE (archive|api), TOLLGATE_ARCHIVE_MAX_BYTES, TOLLGATE_ARCHIVE_MAX_EXTRACTED_BYTES,
 * TOLLGATE_ARCHIVE_MAX_FILES, TOLLGATE_ARCHIVE_CACHE_BYTES, TOLLGATE_ARCHIVE_TIMEOUT_MS.
 * Throws a ConfigError naming the variable when a value is invalid.
 */
export function readArchiveSettings(env: Env): ArchiveSettings {
  const d = DEFAULT_ARCHIVE_SETTINGS;
  const source = env.TOLLGATE_TREE_SOURCE || d.treeSource;
  if (source !== 'archive' && source !== 'api') {
    throw new ConfigError(
      `TOLLGATE_TREE_SOURCE=${JSON.stringify(source)} is invalid: expected archive or api`,
    );
  }
  const GiB = 1024 * MiB;
  return {
    treeSource: source,
    limits: {
      maxArchiveBytes: whole(env, ARCHIVE_LIMIT_SETTINGS.maxArchiveBytes, d.limits.maxArchiveBytes, 16 * GiB),
      maxExtractedBytes: whole(
        env,
        ARCHIVE_LIMIT_SETTINGS.maxExtractedBytes,
        d.limits.maxExtractedBytes,
        16 * GiB,
      ),
      maxFiles: whole(env, ARCHIVE_LIMIT_SETTINGS.maxFiles, d.limits.maxFiles, 10_000_000),
    },
    cacheBytes: whole(env, 'TOLLGATE_ARCHIVE_CACHE_BYTES', d.cacheBytes, 64 * GiB),
    timeoutMs: whole(env, 'TOLLGATE_ARCHIVE_TIMEOUT_MS', d.timeoutMs, 3_600_000),
  };
}
