import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diffEnvironments } from '../../../src/core/diff/diff-manifests.ts';
import { findEnvironmentDrift } from '../../../src/core/diff/find-environment-drift.ts';
import { formatDiffMarkdown } from '../../../src/core/diff/format-diff-markdown.ts';
import type { ManifestDiffReport } from '../../../src/core/diff/manifest-diff.ts';
import { matchesFieldPattern } from '../../../src/core/diff/match-field-pattern.ts';
import { parseManifests } from '../../../src/core/manifests/parse-manifests.ts';
import { renderNativeEnvironment } from '../../../src/core/render/render-native-environment.ts';
import { readFixtureTree } from '../render/read-fixture-tree.ts';

const ENVS = [
  { name: 'staging', source: { type: 'kustomize' as const, path: 'overlays/staging' } },
  { name: 'production', source: { type: 'kustomize' as const, path: 'overlays/production' } },
];
const renderAll = (files: Map<string, string>) => ENVS.map((e) => renderNativeEnvironment(files, e));

const baseFiles = readFixtureTree();
const headFiles = new Map(baseFiles);
headFiles.set(
  'overlays/production/coffee-apm.yaml',
  baseFiles.get('overlays/production/coffee-apm.yaml')!.replace('value: coffee-prod', 'value: coffee-prod-2'),
);
headFiles.set(
  'overlays/production/kustomization.yaml',
  baseFiles.get('overlays/production/kustomization.yaml')!.replace('s3cr3t-base-value', 's3cr3t-head-value'),
);
headFiles.set(
  'base/tea.yaml',
  baseFiles.get('base/tea.yaml')!.replace('targetPort: 8080', 'targetPort: 8081'),
);

describe('findEnvironmentDrift', () => {
  const base = renderAll(baseFiles);
  const head = renderAll(headFiles);
  const diffs = diffEnvironments(base, head);
  const drift = findEnvironmentDrift(head, { allow: ['**.annotations.team'], diffs });

  it('lists objects missing from an environment (generated names compared without their hash)', () => {
    expect(drift.missing).toEqual([
      // The change edits the Secret's data: touched (its drift is shown in the comment).
      { id: 'Secret/coffee-db-<hash>', presentIn: ['production'], missingFrom: ['staging'], touched: true },
    ]);
  });

  it('reports fields that differ beyond the allow-list (replicas, resources, env values, namespaces are allowed)', () => {
    expect(drift.differences.map((d) => [d.id, d.fields.map((f) => f.path)])).toEqual([
      ['Deployment/coffee', ['spec.template.spec.containers[name=app].env[name=PINPOINT_AGENT_ID]']],
      ['ConfigMap/coffee-config-<hash>', ['data.CUPS']],
    ]);
    const withoutAllow = findEnvironmentDrift(head);
    expect(
      withoutAllow.differences.find((d) => d.id === 'Service/coffee')?.fields.map((f) => f.path),
    ).toEqual(['metadata.annotations.team']);
  });

  it('calls out production changes staging did not get', () => {
    expect(drift.unmatchedChanges).toEqual([
      {
        id: 'Deployment/coffee',
        environment: 'production',
        comparedTo: 'staging',
        paths: ['spec.template.spec.containers[name=app].env[name=PINPOINT_AGENT_ID].value'],
        file: 'base/coffee.yaml',
        line: 1,
      },
    ]);
  });

  it('renders a markdown section with the summary first, collapsed details, and no secret value', () => {
    const report: ManifestDiffReport = {
      base: { ref: 'main' },
      head: { ref: 'feature' },
      environments: diffs,
      drift,
    };
    const md = formatDiffMarkdown(report, { budget: 60_000 });
    expect(md.indexOf('| Environment | Added | Changed | Removed | Unchanged |')).toBeLessThan(
      md.indexOf('<details>'),
    );
    expect(md).toContain('| staging | 0 | 1 | 0 | 4 |');
    expect(md).toContain('| production | 0 | 3 | 0 | 3 |');
    expect(md).toContain('**production changed without the same change in staging**');
    expect(md).toContain('```diff\n@@');
    expect(md).toContain('`spec.ports[name=http].targetPort`: `8080` → `8081`');
    for (const secret of [
      's3cr3t',
      Buffer.from('s3cr3t-head-value').toString('base64'),
      Buffer.from('s3cr3t-base-value').toString('base64'),
    ]) {
      expect(md).not.toContain(secret);
    }
  });

  it('keeps the section within its budget, truncating the largest details first with a local command', () => {
    const report: ManifestDiffReport = {
      base: { ref: 'main' },
      head: { ref: 'feature' },
      environments: diffs,
      drift,
    };
    const full = formatDiffMarkdown(report, { budget: 1_000_000 });
    const budget = full.length - 200;
    const md = formatDiffMarkdown(report, { budget });
    expect(md.length).toBeLessThanOrEqual(budget);
    expect(md).toContain(
      'run `tollgate diff --base main --head feature --env production` locally to see the full diff',
    );
    expect(md).toContain('| production | 0 | 3 | 0 | 3 |');
    const tiny = formatDiffMarkdown(report, { budget: 1500 });
    expect(tiny.length).toBeLessThanOrEqual(1500);
    expect(tiny).toContain('not shown');
  });
});

describe('matchesFieldPattern', () => {
  it('matches segments, wildcards, list items, kinds and everything below', () => {
    const path = 'spec.template.spec.containers[name=app].resources.limits.memory';
    expect(matchesFieldPattern('**.containers[*].resources', 'Deployment', path)).toBe(true);
    expect(matchesFieldPattern('spec.*.spec.containers[*]', 'Deployment', path)).toBe(true);
    expect(matchesFieldPattern('spec.replicas', 'Deployment', path)).toBe(false);
    expect(matchesFieldPattern('Secret:data', 'Secret', 'data.password')).toBe(true);
    expect(matchesFieldPattern('Secret:data', 'ConfigMap', 'data.password')).toBe(false);
    expect(matchesFieldPattern('metadata.labels.*', 'X', 'metadata.labels["app.kubernetes.io/name"]')).toBe(
      true,
    );
  });
});

describe('findEnvironmentDrift across three environments', () => {
  const dir = new URL('../../fixtures/diff/three-envs/', import.meta.url).pathname;
  const load = (name: string) => ({
    environment: name,
    manifests: parseManifests(`${name}.yaml`, readFileSync(`${dir}${name}.yaml`, 'utf8')).manifests,
  });
  const envs = [load('dev'), load('staging'), load('production')];

  it('lists each object missing somewhere once, with every environment it is missing from', () => {
    const drift = findEnvironmentDrift(envs);
    expect(drift.environments).toEqual(['dev', 'staging', 'production']);
    expect(drift.missing).toEqual([
      {
        id: 'ConfigMap/dev-tools',
        presentIn: ['dev'],
        missingFrom: ['staging', 'production'],
        touched: false,
      },
      { id: 'Ingress/coffee', presentIn: ['staging', 'production'], missingFrom: ['dev'], touched: false },
      {
        id: 'ServiceAccount/coffee',
        presentIn: ['staging', 'production'],
        missingFrom: ['dev'],
        touched: false,
      },
    ]);
  });

  it('compares fields along the promotion order only (dev → staging → production)', () => {
    expect(findEnvironmentDrift(envs).differences).toEqual([
      {
        id: 'Deployment/coffee',
        between: ['dev', 'staging'],
        fields: [
          {
            path: 'spec.template.spec.containers[name=app].image',
            change: 'changed',
            before: 'nginxdemos/nginx-hello:1.3.0',
            after: 'nginxdemos/nginx-hello:1.2.0',
          },
        ],
        touched: false,
      },
    ]);
  });

  it('leaves out environments marked excludeFromDrift', () => {
    const extra = { ...load('dev'), environment: 'default', excludeFromDrift: true };
    const drift = findEnvironmentDrift([extra, ...envs]);
    expect(drift.environments).toEqual(['dev', 'staging', 'production']);
    expect(drift.missing.map((m) => m.missingFrom)).toEqual([['staging', 'production'], ['dev'], ['dev']]);
  });

  it('keys an object by namespace in every environment when one environment has it twice', () => {
    const canary = parseManifests(
      'canary.yaml',
      'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: coffee, namespace: cafe-prod-canary}\n',
    ).manifests;
    const production = { ...envs[2]!, manifests: [...envs[2]!.manifests, ...canary] };
    const drift = findEnvironmentDrift([envs[1]!, production]);
    expect(drift.missing.map((m) => m.id)).toEqual([
      'ServiceAccount/cafe-prod-canary/coffee',
      'ServiceAccount/cafe-prod/coffee',
      'ServiceAccount/cafe-staging/coffee',
    ]);
  });
});
