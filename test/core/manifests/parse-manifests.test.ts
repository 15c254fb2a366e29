import { describe, expect, it } from 'vitest';
import { parseManifests } from '../../../src/core/manifests/parse-manifests.ts';

const DEPLOYMENT = `# coffee
apiVersion: apps/v1
kind: Deployment
metadata:
  name: coffee
  namespace: cafe
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: coffee
          image: nginxdemos/nginx-hello:plain-text
`;

describe('parseManifests', () => {
  it('returns Kubernetes objects with identity, start line and field lines', () => {
    const { manifests, findings, otherDocuments } = parseManifests(
      'k8s/coffee.yaml',
      `${DEPLOYMENT}---\nfoo: bar\n`,
    );
    expect(findings).toEqual([]);
    expect(otherDocuments).toBe(1);
    expect(manifests).toHaveLength(1);
    const [coffee] = manifests;
    expect(coffee!.identity).toEqual({
      group: 'apps',
      version: 'v1',
      kind: 'Deployment',
      namespace: 'cafe',
      name: 'coffee',
    });
    expect(coffee!.line).toBe(2);
    expect(coffee!.lineOf(['spec', 'replicas'])).toBe(8);
    expect(coffee!.lineOf(['spec', 'template', 'spec', 'containers', 0, 'image'])).toBe(13);
    // A path that does not exist points at its deepest existing parent.
    expect(coffee!.lineOf(['spec', 'template', 'spec', 'containers', 0, 'resources', 'limits'])).toBe(12);
  });

  it('puts namespaced objects without a namespace in default, cluster-scoped ones in none', () => {
    const { manifests } = parseManifests(
      'a.yaml',
      'apiVersion: v1\nkind: Service\nmetadata: {name: tea}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: cafe}\n',
    );
    expect(manifests.map((m) => [m.identity.namespace, m.identity.name])).toEqual([
      ['default', 'tea'],
      ['', 'cafe'],
    ]);
  });

  it('expands kind: List with lines of each item', () => {
    const text =
      'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: a}\n  - apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: b}\n';
    const { manifests } = parseManifests('list.yaml', text);
    expect(manifests.map((m) => [m.identity.name, m.line])).toEqual([
      ['a', 4],
      ['b', 7],
    ]);
  });

  it('reports a syntax error with file and line and keeps the valid documents', () => {
    const { manifests, findings } = parseManifests(
      'bad.yaml',
      `${DEPLOYMENT}---\nmetadata:\n  name: [oops\n---\napiVersion: v1\nkind: Service\nmetadata: {name: ok}\n`,
    );
    expect(manifests.map((m) => m.identity.name)).toEqual(['coffee', 'ok']);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      check: 'yaml',
      rule: 'yaml-syntax',
      blocking: true,
      location: { file: 'bad.yaml' },
    });
    expect(findings[0]!.location!.line).toBeGreaterThanOrEqual(15);
  });

  it('reports duplicate keys', () => {
    const { findings } = parseManifests(
      'dup.yaml',
      'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n  name: b\n',
    );
    expect(findings).toEqual([
      expect.objectContaining({ rule: 'yaml-duplicate-key', location: { file: 'dup.yaml', line: 5 } }),
    ]);
  });

  it('stops an alias bomb instead of expanding it', () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(10).fill(`*${prev}`).join(',')}]`);
    }
    const started = Date.now();
    const { findings, manifests } = parseManifests('bomb.yaml', `${levels.join('\n')}\n`);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(manifests).toEqual([]);
    expect(findings).toEqual([
      expect.objectContaining({ rule: 'yaml-alias-limit', location: { file: 'bomb.yaml', line: 1 } }),
    ]);
  });

  it('refuses oversized and binary files without parsing them', () => {
    const big = parseManifests('big.yaml', 'a: b\n'.repeat(100), { maxFileBytes: 100, maxAliasCount: 100 });
    expect(big.findings).toEqual([
      expect.objectContaining({ rule: 'file-too-large', location: { file: 'big.yaml' } }),
    ]);
    const binary = parseManifests('image.yaml', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 1]));
    expect(binary.findings).toEqual([expect.objectContaining({ rule: 'binary-file' })]);
  });
});
