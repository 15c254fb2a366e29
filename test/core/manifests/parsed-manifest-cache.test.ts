import { describe, expect, it } from 'vitest';
import { parseManifests } from '../../../src/core/manifests/parse-manifests.ts';
import { createParsedManifestCache } from '../../../src/core/manifests/parsed-manifest-cache.ts';

const service = (name: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\n`;

describe('createParsedManifestCache', () => {
  it('parses a file once per path and content, and again when either differs', () => {
    const cache = createParsedManifestCache(1 << 20);
    const limits = { maxFileBytes: 1 << 20, maxAliasCount: 100, cache };
    const first = parseManifests('a.yaml', service('a'), limits);
    expect(parseManifests('a.yaml', new TextEncoder().encode(service('a')), limits)).toBe(first);
    expect(parseManifests('b.yaml', service('a'), limits).manifests[0]!.file).toBe('b.yaml');
    expect(parseManifests('a.yaml', service('b'), limits).manifests[0]!.identity.name).toBe('b');
    // Other limits can give other findings: not the same entry.
    expect(parseManifests('a.yaml', service('a'), { ...limits, maxFileBytes: 10 }).findings).toHaveLength(1);
    expect(cache.stats).toEqual({ parsed: 4, hits: 1 });
  });

  it('stays within its byte bound, dropping the least recently used file first', () => {
    const size = Buffer.byteLength(service('x0'));
    const cache = createParsedManifestCache(3 * size);
    const limits = { maxFileBytes: 1 << 20, maxAliasCount: 100, cache };
    for (const name of ['x0', 'x1', 'x2']) parseManifests(`${name}.yaml`, service(name), limits);
    parseManifests('x0.yaml', service('x0'), limits); // used again: x1 is now the oldest
    parseManifests('x3.yaml', service('x3'), limits);
    expect(cache.bytes).toBeLessThanOrEqual(3 * size);
    const before = cache.stats.parsed;
    parseManifests('x0.yaml', service('x0'), limits);
    expect(cache.stats.parsed).toBe(before);
    parseManifests('x1.yaml', service('x1'), limits);
    expect(cache.stats.parsed).toBe(before + 1);
  });
});
