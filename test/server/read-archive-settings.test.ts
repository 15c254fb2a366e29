import { describe, expect, it } from 'vitest';
import { DEFAULT_ARCHIVE_SETTINGS } from '../../src/adapters/archive/archive-settings.ts';
import { readArchiveSettings } from '../../src/server/read-archive-settings.ts';
import { ConfigError } from '../../src/server/read-env-config.ts';

describe('readArchiveSettings', () => {
  it('defaults to archives of at most 200 MiB, unpacked in memory', () => {
    expect(readArchiveSettings({})).toEqual(DEFAULT_ARCHIVE_SETTINGS);
    expect(DEFAULT_ARCHIVE_SETTINGS.treeSource).toBe('archive');
    expect(DEFAULT_ARCHIVE_SETTINGS.limits.maxArchiveBytes).toBe(200 * 1024 * 1024);
  });

  it('reads every setting', () => {
    expect(
      readArchiveSettings({
        TOLLGATE_TREE_SOURCE: 'api',
        TOLLGATE_ARCHIVE_MAX_BYTES: '1000',
        TOLLGATE_ARCHIVE_MAX_EXTRACTED_BYTES: '2000',
        TOLLGATE_ARCHIVE_MAX_FILES: '30',
        TOLLGATE_ARCHIVE_CACHE_BYTES: '4000',
        TOLLGATE_ARCHIVE_TIMEOUT_MS: '5000',
      }),
    ).toEqual({
      treeSource: 'api',
      limits: { maxArchiveBytes: 1000, maxExtractedBytes: 2000, maxFiles: 30 },
      cacheBytes: 4000,
      timeoutMs: 5000,
    });
  });

  it.each([
    ['TOLLGATE_TREE_SOURCE', 'git', /TOLLGATE_TREE_SOURCE="git" is invalid: expected archive or api/],
    ['TOLLGATE_ARCHIVE_MAX_BYTES', '200MB', /TOLLGATE_ARCHIVE_MAX_BYTES="200MB" is invalid/],
    ['TOLLGATE_ARCHIVE_MAX_FILES', '0', /TOLLGATE_ARCHIVE_MAX_FILES="0" is invalid/],
  ])('refuses %s=%s with a ConfigError naming it', (name, value, message) => {
    expect(() => readArchiveSettings({ [name]: value })).toThrow(ConfigError);
    expect(() => readArchiveSettings({ [name]: value })).toThrow(message);
  });
});
