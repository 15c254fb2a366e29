import {
  ARCHIVE_LIMIT_SETTINGS,
  type ArchiveSettings,
  DEFAULT_ARCHIVE_SETTINGS,
} from '../adapters/archive/archive-settings.ts';
import { ConfigError } from './config-error.ts';

const MiB = 1024 * 1024;

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
