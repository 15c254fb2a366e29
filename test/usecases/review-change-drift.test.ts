import { describe, expect, it } from 'vitest';
import { renderAllEnvironments } from '../../src/adapters/render/render-environment.ts';
import { formatComment } from '../../src/core/report/format-comment.ts';
import { formatReport } from '../../src/core/report/format-report.ts';
import { reviewChange } from '../../src/usecases/review-change.ts';
import { changedBetween, memoryTree } from '../support/memory-tree.ts';

const app = (
  env: string,
  o: { image?: string; replicas?: number; root?: string } = {},
) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: php
  namespace: shop-${env}
spec:
  replicas: ${o.replicas ?? 2}
  template:
    spec:
      containers:
        - name: php
          image: ${o.image ?? 'shop/php:1.0'}
          env:
            - name: DOCUMENT_ROOT
              value: ${o.root ?? '/srv/www'}
`;

const route = (env: string, host: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: shop
  namespace: shop-${env}
spec:
  hostnames: [${host}]
  rules:
    - backendRefs: [{name: php, port: 80}]
`;

const config = (extra = '') => `environments:
  - name: staging
    path: envs/staging
  - name: production
    path: envs/production
${extra}`;

const base = {
  '.tollgate.yml': config(),
  'envs/staging/php.yaml': app('staging'),
  'envs/production/php.yaml': app('production', { replicas: 3 }),
  'envs/staging/route.yaml': route('staging', 'staging.shop.example'),
  'envs/production/route.yaml': route('production', 'shop.example'),
  'envs/staging/worker.yaml': app('staging').replace('name: php\n  namespace', 'name: worker\n  namespace'),
  'envs/production/worker.yaml': app('production', { image: 'shop/php:0.9' }).replace(
    'name: php\n  namespace',
    'name: worker\n  namespace',
  ),
};

async function review(head: Record<string, string>, from: Record<string, string> = base) {
  return reviewChange({
    target: { baseSha: 'b'.repeat(40), headSha: 'h'.repeat(40), baseRef: 'main' },
    base: memoryTree('b'.repeat(40), from),
    head: memoryTree('h'.repeat(40), head),
    changedFiles: changedBetween(from, head),
    render: renderAllEnvironments,
  });
}

describe('drift is a finding', () => {
  const productionOnly = {
    ...base,
    'envs/production/php.yaml': app('production', { replicas: 3, image: 'shop/php:1.1' }),
  };

  it('reports production changed without staging in every format, at the changed file, not blocking by default', async () => {
    const report = await review(productionOnly);
    const drift = report.findings.filter((f) => f.check === 'drift' && f.rule === 'unmatched-change');
    expect(drift).toEqual([
      expect.objectContaining({
        severity: 'warning',
        blocking: false,
        title: 'production changed without the same change in staging',
        location: { file: 'envs/production/php.yaml', line: 1 },
        environment: 'production',
        objects: ['Deployment/php'],
      }),
    ]);
    expect(report.verdict).toBe('pass');
    const json = JSON.parse(formatReport(report, 'json'));
    expect(json.findings.some((f: { check: string }) => f.check === 'drift')).toBe(true);
    expect(formatReport(report, 'text')).toContain(
      'envs/production/php.yaml:1: warning drift/unmatched-change [env production]',
    );
    const sarif = JSON.parse(formatReport(report, 'sarif'));
    expect(
      sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId.includes('unmatched-change'))
        ?.locations[0].physicalLocation.artifactLocation.uri,
    ).toBe('envs/production/php.yaml');
    expect(formatReport(report, 'junit')).toContain('unmatched-change');
    const quality = JSON.parse(formatReport(report, 'codequality'));
    expect(quality.some((q: { check_name: string }) => q.check_name.includes('unmatched-change'))).toBe(true);
  });

  it('blocks when .tollgate.yml lists drift in blocking', async () => {
    const blocking = config('blocking: [yaml, config, render, policy, routes, drift]\n');
    const from = { ...base, '.tollgate.yml': blocking };
    const report = await review({ ...productionOnly, '.tollgate.yml': blocking }, from);
    expect(report.verdict).toBe('fail');
    expect(report.findings.find((f) => f.rule === 'unmatched-change')).toMatchObject({
      blocking: true,
      severity: 'error',
    });
  });

  it('shows a difference the change introduces even where the default allow-list hides it (replicas, env values)', async () => {
    const report = await review({
      ...base,
      'envs/production/php.yaml': app('production', { replicas: 1, root: '/srv/public' }),
    });
    const difference = report.findings.find(
      (f) => f.rule === 'environment-difference' && f.objects?.[0] === 'Deployment/php',
    );
    expect(difference?.message).toContain('spec.replicas: staging 2, production 1');
    expect(difference?.message).toContain('DOCUMENT_ROOT].value: staging /srv/www, production /srv/public');
  });

  it('lets configuration replace the default allow-list', async () => {
    const strict = config('drift:\n  defaults: false\n  allow: [metadata.namespace]\n');
    const from = { ...base, '.tollgate.yml': strict };
    // The change touches php (an image bump in both): its replica difference, allowed by default, shows.
    const head = {
      ...from,
      'envs/staging/php.yaml': app('staging', { image: 'shop/php:1.1' }),
      'envs/production/php.yaml': app('production', { replicas: 3, image: 'shop/php:1.1' }),
    };
    const report = await review(head, from);
    const difference = report.findings.find(
      (f) => f.rule === 'environment-difference' && f.objects?.[0] === 'Deployment/php',
    );
    expect(difference?.message).toContain('spec.replicas: staging 2, production 3');
  });

  it('leaves out drift of objects the change does not touch (the worker image difference is old news)', async () => {
    const report = await review({
      ...base,
      'envs/staging/php.yaml': app('staging', { image: 'shop/php:1.0.1' }),
    });
    expect(report.findings.filter((f) => f.check === 'drift').flatMap((f) => f.objects)).not.toContain(
      'Deployment/worker',
    );
    expect(report.diff?.drift?.differences.map((d) => d.id)).toContain('Deployment/worker');
    expect(formatComment(report)).not.toContain('Deployment/worker');
  });

  it('does not warn about promotion when staging got the same change with its own hostname', async () => {
    const report = await review({
      ...base,
      'envs/staging/route.yaml': route('staging', 'beta.staging.shop.example'),
      'envs/production/route.yaml': route('production', 'beta.shop.example'),
    });
    expect(report.findings.filter((f) => f.rule === 'unmatched-change')).toEqual([]);
  });
});

describe('provenance: a finding points where the change set the value', () => {
  const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: wsgi
spec:
  replicas: 3
  template:
    spec:
      containers:
        - name: wsgi
          image: shop/wsgi:1.0
`;
  const REPLICAS = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: min-replicas
spec:
  validationFailureAction: Enforce
  rules:
    - name: min-replicas
      match: {any: [{resources: {kinds: [Deployment]}}]}
      validate:
        message: needs at least 2 replicas in production
        pattern:
          spec:
            replicas: ">=2"
`;
  const overlay = (count: number) => `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: shop-production
resources:
  - ../../base
replicas:
  - name: wsgi
    count: ${count}
`;
  const tree = (count: number) => ({
    '.tollgate.yml':
      'environments:\n  - name: production\n    kustomize: overlays/production\npolicies: [policies]\n',
    'policies/min-replicas.yaml': REPLICAS,
    'base/kustomization.yaml': 'resources: [wsgi.yaml]\n',
    'base/wsgi.yaml': deployment,
    'overlays/production/kustomization.yaml': overlay(count),
  });

  it("reports a replica count lowered in an overlay at the overlay's replicas entry, the base line related", async () => {
    const report = await review(tree(1), tree(3));
    const finding = report.findings.find(
      (f) => f.check === 'policy' && f.rule === 'min-replicas/min-replicas',
    );
    expect(finding).toMatchObject({
      blocking: true,
      location: { file: 'overlays/production/kustomization.yaml', line: 8 },
      relatedLocations: [{ file: 'base/wsgi.yaml', line: 6 }],
    });
    const sarif = JSON.parse(formatReport(report, 'sarif'));
    const result = sarif.runs[0].results.find((r: { ruleId: string }) => r.ruleId.includes('min-replicas'));
    expect(result.locations[0].physicalLocation).toMatchObject({
      artifactLocation: { uri: 'overlays/production/kustomization.yaml' },
      region: { startLine: 8 },
    });
    expect(result.relatedLocations[0].physicalLocation).toMatchObject({
      artifactLocation: { uri: 'base/wsgi.yaml' },
      region: { startLine: 6 },
    });
  });
});
