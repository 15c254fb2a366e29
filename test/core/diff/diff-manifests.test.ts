import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diffManifests } from '../../../src/core/diff/diff-manifests.ts';
import { diffObjects } from '../../../src/core/diff/diff-objects.ts';
import type { Manifest } from '../../../src/core/manifests/parse-manifests.ts';
import { parseManifests } from '../../../src/core/manifests/parse-manifests.ts';
import { identifyResource } from '../../../src/core/manifests/resource-identity.ts';

const fixture = (name: string) => {
  const file = `test/fixtures/diff/${name}.yaml`;
  return parseManifests(
    file,
    readFileSync(new URL(`../../fixtures/diff/${name}.yaml`, import.meta.url), 'utf8'),
  ).manifests;
};

describe('diffManifests', () => {
  const diff = diffManifests(fixture('base'), fixture('head'), 'production');

  it('counts added, changed, removed and unchanged objects by identity', () => {
    expect(diff.environment).toBe('production');
    expect(diff.counts).toEqual({ added: 1, changed: 3, removed: 1, unchanged: 0 });
    expect(diff.resources.map((r) => `${r.change} ${r.id}`)).toEqual([
      'changed Deployment/cafe/coffee',
      'changed Secret/cafe/db',
      'changed Service/cafe/coffee',
      'added ConfigMap/cafe/new',
      'removed ConfigMap/cafe/gone',
    ]);
  });

  it('reports field paths with list items matched by merge key, ignoring cluster noise and order', () => {
    const deployment = diff.resources.find((r) => r.id === 'Deployment/cafe/coffee')!;
    expect(deployment.fields).toEqual([
      {
        path: 'spec.template.spec.containers[name=app].image',
        change: 'changed',
        before: 'nginxdemos/nginx-hello:1.0',
        after: 'nginxdemos/nginx-hello:1.1',
      },
      {
        path: 'spec.template.spec.containers[name=app].ports[containerPort=80].protocol',
        change: 'added',
        after: 'TCP',
      },
      {
        path: 'spec.template.spec.containers[name=app].ports[containerPort=9090]',
        change: 'removed',
        before: { containerPort: 9090 },
      },
      {
        path: 'spec.template.spec.containers[name=app].env[name=PINPOINT_AGENT_ID].value',
        change: 'changed',
        before: 'coffee-1',
        after: 'coffee-2',
      },
    ]);
    expect(deployment.file).toBe('test/fixtures/diff/head.yaml');
    const service = diff.resources.find((r) => r.id === 'Service/cafe/coffee')!;
    expect(service.fields).toEqual([
      { path: 'spec.ports[port=80].targetPort', change: 'changed', before: 80, after: 8080 },
    ]);
    expect(deployment.unifiedDiff).toContain(
      '-          image: nginxdemos/nginx-hello:1.0\n+          image: nginxdemos/nginx-hello:1.1',
    );
    expect(deployment.unifiedDiff).not.toMatch(/uid|resourceVersion|readyReplicas|last-applied/);
  });

  it('shows which Secret keys changed, never their values', () => {
    const secret = diff.resources.find((r) => r.id === 'Secret/cafe/db')!;
    expect(secret.fields).toEqual([
      { path: 'data.password', change: 'changed', before: '<redacted>', after: '<redacted, changed>' },
      { path: 'data.apiKey', change: 'added', after: '<redacted>' },
      { path: 'stringData.token', change: 'changed', before: '<redacted>', after: '<redacted, changed>' },
    ]);
    const everything = JSON.stringify(diff);
    for (const secretValue of [
      'c3VwZXItc2VjcmV0LWJhc2U=',
      'c3VwZXItc2VjcmV0LWhlYWQ=',
      'YWRtaW4=',
      'a2V5LXZhbHVl',
      'plain-base-token-value',
      'plain-head-token-value',
    ]) {
      expect(everything).not.toContain(secretValue);
    }
  });

  it('pairs a renamed generated ConfigMap (new content hash) as a change', () => {
    const cm = (name: string, value: string) =>
      parseManifests(
        'cm.yaml',
        `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\ndata: {CUPS: "${value}"}\n`,
      ).manifests;
    const d = diffManifests(cm('coffee-config-5chh99f28d', '2'), cm('coffee-config-7dt9992f9t', '5'));
    expect(d.counts).toEqual({ added: 0, changed: 1, removed: 0, unchanged: 0 });
    expect(d.resources[0]!.fields.map((f) => f.path)).toEqual(['metadata.name', 'data.CUPS']);
  });
});

describe('diffObjects', () => {
  it('falls back to `name`, then to indexes, and changes scalar lists as a whole', () => {
    expect(
      diffObjects(
        {
          rules: [
            { name: 'a', x: 1 },
            { name: 'b', x: 1 },
          ],
        },
        {
          rules: [
            { name: 'b', x: 2 },
            { name: 'a', x: 1 },
          ],
        },
      ),
    ).toEqual([{ path: 'rules[name=b].x', change: 'changed', before: 1, after: 2 }]);
    expect(diffObjects({ rules: [{ x: 1 }] }, { rules: [{ x: 2 }, { x: 3 }] })).toEqual([
      { path: 'rules[0].x', change: 'changed', before: 1, after: 2 },
      { path: 'rules[1]', change: 'added', after: { x: 3 } },
    ]);
    expect(diffObjects({ args: ['a', 'b'] }, { args: ['b', 'a'] })).toEqual([
      { path: 'args', change: 'changed', before: ['a', 'b'], after: ['b', 'a'] },
    ]);
    expect(
      diffObjects(
        { metadata: { labels: { 'app.kubernetes.io/name': 'a' } } },
        { metadata: { labels: { 'app.kubernetes.io/name': 'b' } } },
      )[0]?.path,
    ).toBe('metadata.labels["app.kubernetes.io/name"]');
    expect(diffObjects({ v: [{ name: 'x', mountPath: '/a' }] }, { v: [] })).toEqual([
      { path: 'v', change: 'changed', before: [{ name: 'x', mountPath: '/a' }], after: [] },
    ]);
  });
});

describe('diffManifests: one object in two files of a render', () => {
  const apps = (file: string, path: string): Manifest => {
    const object = {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: 'apps', namespace: 'flux-system' },
      spec: { path },
    };
    return { file, documentIndex: 0, line: 1, identity: identifyResource(object)!, object, lineOf: () => 1 };
  };
  it('keeps both copies apart, so an edit of one shows', () => {
    const base = [
      apps('clusters/staging/apps.yaml', './apps/staging'),
      apps('clusters/production/apps.yaml', './apps/production'),
    ];
    const head = [
      apps('clusters/staging/apps.yaml', './apps/staging-v2'),
      apps('clusters/production/apps.yaml', './apps/production'),
    ];
    const diff = diffManifests(base, head);
    expect(diff.resources.map((r) => [r.change, r.file])).toEqual([
      ['changed', 'clusters/staging/apps.yaml'],
    ]);
  });
});
