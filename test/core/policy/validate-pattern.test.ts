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

  it('expands wildcard keys in metadata labels/annotations only', () => {
    const pattern = { metadata: { '=(annotations)': { 'X(*-snippet)': '?*' } } };
    expect(status({ metadata: { annotations: { 'nginx.org/server-snippet': 'x' } } }, pattern)).toBe('fail');
    expect(status({ metadata: { annotations: { other: 'x' } } }, pattern)).toBe('pass');
    const labels = { metadata: { labels: { 'app.kubernetes.io/*': '?*' } } };
    expect(status({ metadata: { labels: { 'app.kubernetes.io/name': 'tea' } } }, labels)).toBe('pass');
    expect(status({ metadata: { labels: { team: 'x' } } }, labels)).toBe('fail');
    // elsewhere a wildcard key is a literal key (Kyverno's ExpandInMetadata)
    expect(status({ spec: { 'foo-snippet': 'x' } }, { spec: { 'X(*-snippet)': null } })).toBe('pass');
  });
});

describe('validatePattern: Kyverno semantics confirmed against pkg/engine/validate and pkg/engine/pattern', () => {
  it('a missing field fails a negated string but counts as 0 for quantities and durations', () => {
    expect(status({}, { a: '!foo' })).toBe('fail');
    expect(status({ a: 'bar' }, { a: '!foo' })).toBe('pass');
    expect(status({}, { mem: '<4Gi' })).toBe('pass');
    expect(status({}, { n: '!0' })).toBe('fail');
    expect(status({}, { a: '' })).toBe('fail');
    expect(status({ a: '' }, { a: '' })).toBe('pass');
    expect(status({}, { a: null })).toBe('pass');
  });

  it('compares strings only with equality operators, and booleans and numbers as text', () => {
    expect(status({ a: 'b' }, { a: '>a' })).toBe('fail');
    expect(status({ a: true }, { a: 'true' })).toBe('pass');
    expect(status({ a: 8080 }, { a: '80*' })).toBe('pass');
    expect(status({ a: '1.5' }, { a: 1.5 })).toBe('pass');
    expect(status({ a: '2' }, { a: 2 })).toBe('pass');
    expect(status({ a: '2.0' }, { a: 2 })).toBe('fail');
  });

  it('a global anchor whose key is absent lets the rest of the pattern apply', () => {
    const pattern = { spec: { '<(runtimeClassName)': 'gvisor', hostNetwork: false } };
    expect(status({ spec: { hostNetwork: true } }, pattern)).toBe('fail');
    expect(status({ spec: { runtimeClassName: 'runc', hostNetwork: true } }, pattern)).toBe('skip');
    expect(status({ spec: { runtimeClassName: 'gvisor', hostNetwork: false } }, pattern)).toBe('pass');
  });

  it('evaluates anchors before other keys, so a failing equality anchor wins over a global skip', () => {
    const pattern = { '<(kind)': 'Pod', '=(spec)': { hostPID: false } };
    expect(status({ kind: 'Deployment', spec: { hostPID: true } }, pattern)).toBe('fail');
    expect(status({ kind: 'Deployment', spec: { hostPID: false } }, pattern)).toBe('skip');
  });

  it('existence anchors pass when the list is absent and need a match for every pattern item', () => {
    const pattern = { '^(vols)': [{ name: 'a' }, { name: 'b' }] };
    expect(status({}, pattern)).toBe('pass');
    expect(status({ vols: [{ name: 'b' }, { name: 'a' }] }, pattern)).toBe('pass');
    expect(status({ vols: [{ name: 'a' }] }, pattern)).toBe('fail');
    expect(status({ vols: 'a' }, pattern)).toBe('fail');
  });

  it('a scalar list pattern applies its first item to every element; an empty list pattern fails', () => {
    expect(status({ args: ['--a', '--b'] }, { args: ['--*'] })).toBe('pass');
    expect(status({ args: ['--a', 'x'] }, { args: ['--*'] })).toBe('fail');
    expect(status({ args: ['--a'] }, { args: [] })).toBe('fail');
  });

  it('a negation anchor fails even when nested in an equality anchor, but skips inside a conditional one', () => {
    expect(status({ spec: { hostPath: {} } }, { '=(spec)': { 'X(hostPath)': null } })).toBe('fail');
    expect(status({ spec: { hostPath: {} }, b: 1 }, { '(spec)': { 'X(hostPath)': null }, b: 2 })).toBe(
      'skip',
    );
  });

  it('`*` requires the key with any value; `?*` requires a non-empty scalar', () => {
    expect(status({ a: { b: 1 } }, { a: '*' })).toBe('pass');
    expect(status({}, { a: '*' })).toBe('fail');
    expect(status({ a: { b: 1 } }, { a: '?*' })).toBe('fail');
    expect(status({ a: 'x' }, { a: '?*' })).toBe('pass');
  });
});
