import { describe, expect, it } from 'vitest';
import { validatePattern } from '../../../src/core/policy/validate-pattern.ts';

const status = (resource: unknown, pattern: unknown) => validatePattern(resource, pattern).status;

describe('validatePattern', () => {
  it('requires plain keys and compares scalars with wildcards and operators', () => {
    expect(status({ a: 'nginx:1.2' }, { a: '*:*' })).toBe('pass');
    expect(status({ a: 'nginx' }, { a: '*:*' })).toBe('fail');
    expect(status({}, { a: '?*' })).toBe('fail');
    expect(status({ r: 3 }, { r: '>=2' })).toBe('pass');
    expect(status({ r: 1 }, { r: '>=2' })).toBe('fail');
    expect(status({ m: '512Mi' }, { m: '<=1Gi' })).toBe('pass');
    expect(status({ m: '2Gi' }, { m: '<=1Gi' })).toBe('fail');
    expect(status({ t: '90s' }, { t: '<2m' })).toBe('pass');
    expect(status({ v: 'b' }, { v: 'a | b' })).toBe('pass');
    expect(status({ v: 5 }, { v: '>1 & <4' })).toBe('fail');
    expect(status({ v: 5 }, { v: '1-10' })).toBe('pass');
    expect(status({ v: 5 }, { v: '1!-10' })).toBe('fail');
    expect(status({ img: 'x:latest' }, { img: '!*:latest' })).toBe('fail');
  });

  it('applies a list pattern to every element and reports the failing path', () => {
    const r = validatePattern(
      { spec: { containers: [{ image: 'a:1' }, { image: 'b:latest' }] } },
      { spec: { containers: [{ image: '!*:latest' }] } },
    );
    expect(r).toMatchObject({ status: 'fail', path: ['spec', 'containers', 1, 'image'] });
  });

  it('handles equality, negation, existence and conditional anchors', () => {
    expect(status({}, { '=(sc)': { privileged: false } })).toBe('pass');
    expect(status({ sc: { privileged: true } }, { '=(sc)': { privileged: false } })).toBe('fail');
    expect(status({ hostPath: {} }, { 'X(hostPath)': null })).toBe('fail');
    expect(status({ vols: [{ name: 'a' }, { name: 'b' }] }, { '^(vols)': [{ name: 'b' }] })).toBe('pass');
    expect(status({ vols: [{ name: 'a' }] }, { '^(vols)': [{ name: 'b' }] })).toBe('fail');
    // conditional anchor: only containers named with an nginx image must set the port
    const pattern = { containers: [{ '(image)': 'nginx*', port: 80 }] };
    expect(status({ containers: [{ image: 'redis', port: 1 }] }, pattern)).toBe('skip');
    expect(status({ containers: [{ image: 'nginx', port: 1 }, { image: 'redis' }] }, pattern)).toBe('fail');
    expect(status({ containers: [{ image: 'nginx', port: 80 }, { image: 'redis' }] }, pattern)).toBe('pass');
  });

  it('skips the whole pattern when a global anchor does not hold', () => {
    const r = validatePattern(
      { spec: { containers: [{ image: 'a' }] }, metadata: { labels: {} } },
      { spec: { containers: [{ '<(image)': 'corp/*' }] }, metadata: { labels: { team: '?*' } } },
    );
    expect(r).toMatchObject({ status: 'skip', global: true });
  });

  it('expands wildcard keys against the resource keys', () => {
    const pattern = { '=(annotations)': { 'X(*-snippet)': '?*' } };
    expect(status({ annotations: { 'nginx.org/server-snippet': 'x' } }, pattern)).toBe('fail');
    expect(status({ annotations: { other: 'x' } }, pattern)).toBe('pass');
  });
});
