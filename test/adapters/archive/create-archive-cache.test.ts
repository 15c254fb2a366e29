import { describe, expect, it } from 'vitest';
import { createArchiveCache } from '../../../src/adapters/archive/create-archive-cache.ts';
import type { ArchiveSnapshot } from '../../../src/adapters/archive/extract-tar-gzip.ts';
import { TransientPlatformError } from '../../../src/usecases/ports/platform-errors.ts';
import { RepositoryArchiveError } from '../../../src/usecases/ports/repository-archive-error.ts';

const snapshot = (bytes: number): ArchiveSnapshot => ({
  files: new Map([['a.yaml', new Uint8Array(bytes)]]),
  bytes,
});

/** A loader that counts its calls per key. */
function loader() {
  const calls: string[] = [];
  return {
    calls,
    load: (key: string, result: () => Promise<ArchiveSnapshot>) => () => {
      calls.push(key);
      return result();
    },
  };
}

describe('createArchiveCache', () => {
  it('downloads a commit once for concurrent and later readers', async () => {
    const cache = createArchiveCache(1000);
    const { calls, load } = loader();
    let release!: (s: ArchiveSnapshot) => void;
    const pending = new Promise<ArchiveSnapshot>((r) => {
      release = r;
    });
    const first = cache.get(
      'github:o/r:base',
      load('base', () => pending),
    );
    const second = cache.get(
      'github:o/r:base',
      load('base', () => pending),
    );
    release(snapshot(10));
    expect(await first).toBe(await second);
    await cache.get(
      'github:o/r:base',
      load('base', async () => snapshot(10)),
    );
    expect(calls).toEqual(['base']);
    expect(cache.bytes).toBe(10);
  });

  it('evicts the least recently used commits past the byte budget', async () => {
    const cache = createArchiveCache(100);
    const { calls, load } = loader();
    await cache.get(
      'a',
      load('a', async () => snapshot(40)),
    );
    await cache.get(
      'b',
      load('b', async () => snapshot(40)),
    );
    await cache.get(
      'a',
      load('a', async () => snapshot(40)),
    ); // a is now the most recent
    await cache.get(
      'c',
      load('c', async () => snapshot(40)),
    ); // 120 > 100: b goes
    expect(cache.bytes).toBe(80);
    await cache.get(
      'a',
      load('a', async () => snapshot(40)),
    );
    await cache.get(
      'b',
      load('b', async () => snapshot(40)),
    );
    expect(calls).toEqual(['a', 'b', 'c', 'b']);
    expect(cache.bytes).toBeLessThanOrEqual(100);
  });

  it('serves a snapshot larger than the budget without keeping it', async () => {
    const cache = createArchiveCache(100);
    const { calls, load } = loader();
    expect(
      (
        await cache.get(
          'huge',
          load('huge', async () => snapshot(500)),
        )
      ).bytes,
    ).toBe(500);
    await cache.get(
      'huge',
      load('huge', async () => snapshot(500)),
    );
    expect(calls).toEqual(['huge', 'huge']);
    expect(cache.bytes).toBe(0);
  });

  it('forgets a failed download, but remembers a refused archive', async () => {
    const cache = createArchiveCache(100);
    const { calls, load } = loader();
    const flaky = load('flaky', async () => {
      throw new TransientPlatformError('HTTP 502');
    });
    await expect(cache.get('flaky', flaky)).rejects.toThrow('HTTP 502');
    expect(
      (
        await cache.get(
          'flaky',
          load('flaky', async () => snapshot(5)),
        )
      ).bytes,
    ).toBe(5);

    const refused = load('big', async () => {
      throw new RepositoryArchiveError('max-files', 'too many entries', 'TOLLGATE_ARCHIVE_MAX_FILES');
    });
    await expect(cache.get('big', refused)).rejects.toThrow('too many entries');
    await expect(cache.get('big', refused)).rejects.toThrow('too many entries');
    expect(calls).toEqual(['flaky', 'flaky', 'big']);
  });
});
