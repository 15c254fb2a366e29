import { describe, expect, it } from 'vitest';
import { applyStrategicMergePatch } from '../../../../src/core/policy/mutate/apply-strategic-merge-patch.ts';

const pod = () => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', annotations: { team: 'a' } },
  spec: {
    containers: [
      { name: 'app', image: 'app:1', resources: { requests: { cpu: '1' } } },
      { name: 'log', image: 'log:1' },
    ],
    volumes: [{ name: 'cache', emptyDir: {} }],
  },
});

describe('patchStrategicMerge with anchors', () => {
  it('adds with +() only where the key is absent', () => {
    const out = applyStrategicMergePatch(pod(), {
      metadata: { annotations: { '+(team)': 'b', '+(owner)': 'me' } },
    });
    expect(out).toMatchObject({ ok: true, value: { metadata: { annotations: { team: 'a', owner: 'me' } } } });
  });

  it('applies a list item with a conditional anchor to each item that satisfies it', () => {
    const out = applyStrategicMergePatch(pod(), {
      spec: { containers: [{ '(name)': 'log', resources: { requests: { '+(cpu)': '100m' } } }] },
    });
    expect(out.ok).toBe(true);
    const containers = (out as { value: { spec: { containers: unknown[] } } }).value.spec.containers;
    expect(containers).toEqual([
      { name: 'app', image: 'app:1', resources: { requests: { cpu: '1' } } },
      { name: 'log', image: 'log:1', resources: { requests: { cpu: '100m' } } },
    ]);
  });

  it('skips the whole rule when a global anchor holds for no item', () => {
    const out = applyStrategicMergePatch(pod(), {
      metadata: { annotations: { '+(evict)': 'true' } },
      spec: { volumes: [{ '<(hostPath)': { path: '*' } }] },
    });
    expect(out).toMatchObject({ ok: false, global: true });
    const withEmptyDir = applyStrategicMergePatch(pod(), {
      metadata: { annotations: { '+(evict)': 'true' } },
      spec: { volumes: [{ '<(emptyDir)': {} }] },
    });
    expect(withEmptyDir).toMatchObject({ ok: true, value: { metadata: { annotations: { evict: 'true' } } } });
  });

  it('drops the patch when a conditional anchor on a map does not hold', () => {
    const out = applyStrategicMergePatch(pod(), {
      metadata: { annotations: { '(inject)': 'true' } },
      spec: { containers: [{ name: 'sidecar', image: 'side:1' }] },
    });
    expect(out).toMatchObject({ ok: false, global: false });
  });

  it('merges keyed lists by name with the patch items first, replaces other lists, deletes on null', () => {
    const out = applyStrategicMergePatch(pod(), {
      metadata: { annotations: { team: null } },
      spec: {
        containers: [
          { name: 'sidecar', image: 'side:1' },
          { name: 'log', image: 'log:2' },
        ],
        tolerations: [{ key: 'a', operator: 'Exists' }],
      },
    });
    const value = (out as { value: unknown }).value as {
      metadata: { annotations: unknown };
      spec: { containers: { name: string; image: string }[]; tolerations: unknown };
    };
    expect(value.metadata.annotations).toEqual({});
    expect(value.spec.containers.map((c) => `${c.name}=${c.image}`)).toEqual([
      'sidecar=side:1',
      'log=log:2',
      'app=app:1',
    ]);
    expect(value.spec.tolerations).toEqual([{ key: 'a', operator: 'Exists' }]);
  });

  it('does not let a patch key reach Object.prototype', () => {
    const out = applyStrategicMergePatch(
      pod(),
      JSON.parse('{"metadata": {"__proto__": {"polluted": true}}}'),
    );
    expect(out.ok).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
