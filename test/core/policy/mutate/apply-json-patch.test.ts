import { describe, expect, it } from 'vitest';
import { applyJsonPatch } from '../../../../src/core/policy/mutate/apply-json-patch.ts';

describe('applyJsonPatch', () => {
  const doc = { spec: { containers: [{ name: 'a' }, { name: 'b' }] } };

  it('adds, creating missing parents, and appends with -', () => {
    const out = applyJsonPatch(doc, [
      { op: 'add', path: '/spec/containers/0/securityContext/capabilities/add/-', value: 'SETUID' },
      { op: 'add', path: '/spec/tolerations/-', value: { key: 'x' } },
      { op: 'add', path: '/metadata/labels/app~1name', value: 'web' },
    ]);
    expect(out).toEqual({
      metadata: { labels: { 'app/name': 'web' } },
      spec: {
        containers: [{ name: 'a', securityContext: { capabilities: { add: ['SETUID'] } } }, { name: 'b' }],
        tolerations: [{ key: 'x' }],
      },
    });
    expect(doc.spec.containers[0]).toEqual({ name: 'a' });
  });

  it('removes, replaces, moves, copies and tests', () => {
    const out = applyJsonPatch(doc, [
      { op: 'copy', from: '/spec/containers/0', path: '/spec/first' },
      { op: 'replace', path: '/spec/containers/1/name', value: 'c' },
      { op: 'remove', path: '/spec/containers/0' },
      { op: 'test', path: '/spec/containers/0/name', value: 'c' },
      { op: 'move', from: '/spec/first', path: '/spec/moved' },
    ]);
    expect(out).toEqual({ spec: { containers: [{ name: 'c' }], moved: { name: 'a' } } });
  });

  it('throws, naming the path, when an operation cannot apply', () => {
    expect(() => applyJsonPatch(doc, [{ op: 'remove', path: '/spec/volumes' }])).toThrow(
      'remove /spec/volumes: path /spec/volumes does not exist',
    );
    expect(() => applyJsonPatch(doc, [{ op: 'test', path: '/spec/containers/0/name', value: 'z' }])).toThrow(
      /test failed/,
    );
    expect(() => applyJsonPatch(doc, [{ op: 'remove', path: '/spec/containers/7' }])).toThrow(/out of range/);
  });
});
