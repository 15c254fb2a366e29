import { describe, expect, it } from 'vitest';
import { HostnameIndex } from '../../../src/core/routes/hostname-index.ts';
import {
  hostnameMatchesHost,
  intersectHostnames,
  wildcardCovers,
} from '../../../src/core/routes/intersect-hostnames.ts';

describe('intersectHostnames (Gateway API)', () => {
  it.each([
    ['', 'cafe.example.com', 'cafe.example.com'],
    ['*.example.com', '', '*.example.com'],
    ['cafe.example.com', 'cafe.example.com', 'cafe.example.com'],
    ['cafe.example.com', 'tea.example.com', undefined],
    ['*.example.com', 'cafe.example.com', 'cafe.example.com'],
    ['*.example.com', 'a.b.example.com', 'a.b.example.com'],
    ['*.example.com', 'example.com', undefined],
    ['*.wildcard.io', 'nonmatchingwildcard.io', undefined],
    ['*.wildcard.io', '*.nonmatchingwildcard.io', undefined],
    ['very.specific.com', '*.specific.com', 'very.specific.com'],
    ['*.com', '*.example.com', '*.example.com'],
    ['*.example.com', '*.com', '*.example.com'],
    ['*.example.com', '*.example.com', '*.example.com'],
    ['*.example.com', '*.example.org', undefined],
  ])('%s ∩ %s = %s', (a, b, expected) => {
    expect(intersectHostnames(a, b)).toBe(expected);
    expect(intersectHostnames(b, a)).toBe(expected);
  });

  it('wildcards span one or more labels, only on a label boundary', () => {
    expect(wildcardCovers('*.example.com', 'tea.example.com')).toBe(true);
    expect(wildcardCovers('*.example.com', 'x.tea.example.com')).toBe(true);
    expect(wildcardCovers('*.example.com', 'badexample.com')).toBe(false);
    expect(hostnameMatchesHost('', 'anything.io')).toBe(true);
    expect(hostnameMatchesHost('tea.example.com', 'coffee.example.com')).toBe(false);
  });
});

describe('HostnameIndex', () => {
  const hostnames = [
    '',
    'cafe.example.com',
    'tea.example.com',
    'a.b.example.com',
    '*.example.com',
    '*.b.example.com',
    '*.com',
    'example.com',
    '*.example.org',
    'example.org',
  ];

  it('returns exactly the entries whose hostname intersects the query (same as pairwise)', () => {
    const index = new HostnameIndex<string>();
    for (const h of hostnames) index.add(h, h);
    for (const query of [...hostnames, 'x.example.com', '*.a.b.example.com', 'nothing.net', '*.net']) {
      const expected = hostnames.filter((h) => intersectHostnames(h, query) !== undefined).sort();
      expect(index.query(query).sort(), `query ${query || '<any>'}`).toEqual(expected);
    }
  });
});
