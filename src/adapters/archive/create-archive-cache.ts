import { RepositoryArchiveError } from '../../usecases/ports/repository-archive-error.ts';
import type { ArchiveSnapshot } from './extract-tar-gzip.ts';

export interface ArchiveCache {
  /**
   * The snapshot for `key` (platform, project and commit SHA): from the cache, from a download
   * already under way for the same key, or from `load`. Failed loads are forgotten (a retry loads
   * again), except a refused archive: the same commit would be refused again.
   */
  get(key: string, load: () => Promise<ArchiveSnapshot>): Promise<ArchiveSnapshot>;
  /** Bytes of the snapshots held. */
  readonly bytes: number;
  readonly size: number;
  /** Forgets everything (the snapshots are freed once no review holds them). */
  clear(): void;
}

interface Slot {
  value: Promise<ArchiveSnapshot>;
  bytes: number;
  settled: boolean;
}

/** Refused commits are remembered too; this bounds their number. */
const MAX_SLOTS = 1000;

/**
 * A least-recently-used cache of unpacked commits within the worker process, bounded by the total
 * bytes of the files held, so a base commit shared by several merge requests is downloaded once.
 * Snapshots live in memory only: an evicted one leaves nothing behind on disk. One snapshot larger
 * than the whole budget is served but not kept.
 */
export function createArchiveCache(maxBytes: number): ArchiveCache {
  const slots = new Map<string, Slot>(); // insertion order = recency order
  let total = 0;

  const drop = (key: string, slot: Slot) => {
    if (slots.get(key) !== slot) return;
    slots.delete(key);
    total -= slot.bytes;
  };
  const evict = () => {
    for (const [key, slot] of slots) {
      if (total <= maxBytes && slots.size <= MAX_SLOTS) break;
      if (slot.settled) drop(key, slot); // downloads under way stay
    }
  };

  return {
    get(key, load) {
      const hit = slots.get(key);
      if (hit) {
        slots.delete(key);
        slots.set(key, hit);
        return hit.value;
      }
      const slot: Slot = { value: load(), bytes: 0, settled: false };
      slots.set(key, slot);
      slot.value.then(
        (snapshot) => {
          slot.settled = true;
          if (slots.get(key) !== slot) return;
          slot.bytes = snapshot.bytes;
          total += snapshot.bytes;
          if (snapshot.bytes > maxBytes) drop(key, slot);
          evict();
        },
        (error: unknown) => {
          slot.settled = true;
          if (!(error instanceof RepositoryArchiveError)) drop(key, slot);
          evict();
        },
      );
      return slot.value;
    },
    get bytes() {
      return total;
    },
    get size() {
      return slots.size;
    },
    clear() {
      slots.clear();
      total = 0;
    },
  };
}
