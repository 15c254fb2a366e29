import { describe, expect, it } from 'vitest';
import {
  describeHttpRequest,
  normalizeGrpcMatch,
  normalizeHttpMatch,
  normalizePathPrefix,
} from '../../../src/core/routes/normalize-route-match.ts';

const key = (m: unknown) => normalizeHttpMatch(m).key;

describe('normalizeHttpMatch', () => {
  it('fills in defaults: no match, no path and no type all mean PathPrefix /', () => {
    expect(key({})).toBe(key({ path: { type: 'PathPrefix', value: '/' } }));
    expect(key({ path: { value: '/coffee' } })).toBe(key({ path: { type: 'PathPrefix', value: '/coffee' } }));
  });

  it('drops one trailing slash of a PathPrefix, never of an Exact path, and keeps element-wise values apart', () => {
    expect(normalizePathPrefix('/cart/')).toBe('/cart');
    expect(normalizePathPrefix('/')).toBe('/');
    expect(key({ path: { value: '/cart/' } })).toBe(key({ path: { value: '/cart' } }));
    expect(key({ path: { type: 'Exact', value: '/cart/' } })).not.toBe(
      key({ path: { type: 'Exact', value: '/cart' } }),
    );
    expect(key({ path: { value: '/foo' } })).not.toBe(key({ path: { value: '/foobar' } }));
    expect(key({ path: { type: 'Exact', value: '/foo' } })).not.toBe(key({ path: { value: '/foo' } }));
  });

  it('header names are case-insensitive, type defaults to Exact, first entry wins, order is irrelevant', () => {
    const a = key({
      path: { value: '/tea' },
      headers: [
        { name: 'Version', value: 'v2' },
        { name: 'x-env', value: 'prod' },
      ],
    });
    const b = key({
      path: { value: '/tea' },
      headers: [
        { name: 'X-Env', type: 'Exact', value: 'prod' },
        { name: 'version', type: 'Exact', value: 'v2' },
        { name: 'VERSION', value: 'v3' },
      ],
    });
    expect(a).toBe(b);
    expect(key({ headers: [{ name: 'version', value: 'v2' }] })).not.toBe(
      key({ headers: [{ name: 'version', value: 'v3' }] }),
    );
  });

  it('query parameter names are case-sensitive; method is part of the key', () => {
    expect(key({ queryParams: [{ name: 'TEST', value: 'v2' }] })).not.toBe(
      key({ queryParams: [{ name: 'test', value: 'v2' }] }),
    );
    expect(key({ method: 'GET' })).not.toBe(key({ method: 'POST' }));
    expect(key({ method: 'GET' })).not.toBe(key({}));
  });

  it('describes a concrete request', () => {
    const m = normalizeHttpMatch({ path: { value: '/coffee' }, headers: [{ name: 'Version', value: 'v2' }] });
    expect(describeHttpRequest(m, 'cafe.example.com')).toBe(
      'GET cafe.example.com/coffee (and below) with header version: v2',
    );
  });
});

describe('normalizeGrpcMatch', () => {
  it('defaults the method type to Exact and ignores header name case', () => {
    expect(normalizeGrpcMatch({ method: { service: 'a.B', method: 'Get' } }).key).toBe(
      normalizeGrpcMatch({ method: { type: 'Exact', service: 'a.B', method: 'Get' } }).key,
    );
    expect(normalizeGrpcMatch({ headers: [{ name: 'X-A', value: '1' }] }).key).toBe(
      normalizeGrpcMatch({ headers: [{ name: 'x-a', value: '1' }] }).key,
    );
    expect(normalizeGrpcMatch({ method: { service: 'a.B' } }).key).not.toBe(normalizeGrpcMatch({}).key);
  });
});
