import { describe, expect, it } from 'vitest';
import { parseCommandOutput } from '../../../src/core/render/parse-command-output.ts';
import { renderNativeEnvironment } from '../../../src/core/render/render-native-environment.ts';
import { readFixtureTree } from './read-fixture-tree.ts';

describe('renderNativeEnvironment', () => {
  const files = readFixtureTree();

  it('renders a plain folder with multi-document files and kind: List, applying the environment namespace', () => {
    const out = renderNativeEnvironment(files, {
      name: 'plain',
      source: { type: 'path', path: 'plain' },
      namespace: 'other',
    });
    expect(out.findings).toEqual([]);
    expect(
      out.manifests.map(
        (m) => `${m.identity.kind}/${m.identity.namespace}/${m.identity.name} ${m.file}:${m.line}`,
      ),
    ).toEqual([
      'Ingress/cafe/cafe plain/ingress.yaml:1',
      'ServiceAccount/cafe/barista plain/list.yaml:4',
      'ConfigMap/cafe/menu plain/list.yaml:9',
    ]);
  });

  it('discovers Kubernetes YAML without config, skipping CI files, charts, kustomize folders and policies', () => {
    const tree = new Map(files);
    tree.set(
      'policies/require-probes.yaml',
      'apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata: {name: p}\n',
    );
    tree.set('values-prod.yaml', 'replicas: 3\n');
    tree.set('broken.yaml', 'apiVersion: v1\nkind: [\n');
    const out = renderNativeEnvironment(
      tree,
      { name: 'default', source: { type: 'discover' } },
      { exclude: ['policies'] },
    );
    expect(out.manifests.map((m) => m.file)).toEqual([
      'plain/ingress.yaml',
      'plain/list.yaml',
      'plain/list.yaml',
    ]);
    // The chart is not read as YAML, and the report says it is not rendered (a warning).
    expect(out.findings.map((f) => [f.location?.file, f.severity])).toEqual([
      ['chart/Chart.yaml', 'warning'],
      ['broken.yaml', 'error'],
    ]);
    expect(out.findings[0]?.environment).toBe('default');
  });

  it('reports a missing source folder on the environment line', () => {
    const out = renderNativeEnvironment(files, {
      name: 'x',
      source: { type: 'kustomize', path: 'nope' },
      line: 9,
    });
    expect(out.findings[0]).toMatchObject({
      rule: 'render-missing-source',
      location: { file: '.tollgate.yml', line: 9 },
      environment: 'x',
    });
  });
});

describe('parseCommandOutput', () => {
  it('maps helm `# Source:` comments back to repository files and keeps output lines otherwise', () => {
    const output =
      '---\n# Source: cafe/templates/deployment.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: b}\n---\napiVersion: v1\nkind: A\nkind: B\n';
    const out = parseCommandOutput(output, 'prod', ['chart/templates/deployment.yaml', 'chart/Chart.yaml']);
    expect(out.manifests.map((m) => `${m.file}:${m.line}`)).toEqual([
      'chart/templates/deployment.yaml:1',
      '<command output of env prod>:7',
    ]);
    expect(out.findings[0]).toMatchObject({
      check: 'render',
      rule: 'yaml-duplicate-key',
      location: { file: '<command output of env prod>', line: 13 },
    });
  });
});
