import { createHash } from 'node:crypto';
import type { ParseCache, ParseResult } from './manifest.ts';

/** Counters a review reports in its `stats`. */
export interface ParseCacheStats {
  /** Files parsed (cache misses). */
  parsed: number;
  /** Files answered from the cache. */
  hits: number;
}

/**
 * Parsed files by path and content hash, shared by a review's base and head (the files they have
 * in common are parsed once) and, in a worker, across reviews (the next merge request on the same
 * base parses only what it changed). Bounded by the bytes of the source text it holds, which is
 * proportional to what its parsed objects take; least recently used entries go first.
 * The cached objects are shared: whoever changes one copies it first (the renderers do).
 */
export interface ParsedManifestCache extends ParseCache {
  readonly stats: ParseCacheStats;
  /** Source bytes held now. */
  readonly bytes: number;
}

export function createParsedManifestCache(maxBytes: number): ParsedManifestCache {
  const entries = new Map<string, { result: ParseResult; bytes: number }>();
  const stats: ParseCacheStats = { parsed: 0, hits: 0 };
  let bytes = 0;
  return {
    stats,
    get bytes() {
      return bytes;
    },
    parse(file, content, limitsKey, parse) {
      const key = `${createHash('sha1').update(content).digest('hex')}\0${limitsKey}\0${file}`;
      const known = entries.get(key);
      if (known) {
        stats.hits++;
        entries.delete(key); // most recently used last
        entries.set(key, known);
        return known.result;
      }
      stats.parsed++;
      const result = parse();
      const size = typeof content === 'string' ? Buffer.byteLength(content) : content.length;
      if (size > maxBytes) return result;
      entries.set(key, { result, bytes: size });
      bytes += size;
      for (const [oldest, entry] of entries) {
        if (bytes <= maxBytes) break;
        entries.delete(oldest);
        bytes -= entry.bytes;
      }
      return result;
    },
  };
}
