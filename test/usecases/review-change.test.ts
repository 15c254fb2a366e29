import { describe, expect, it } from 'vitest';
import { renderAllEnvironments } from '../../src/adapters/render/render-environment.ts';
import { createParsedManifestCache } from '../../src/core/manifests/parsed-manifest-cache.ts';
import { reviewChange } from '../../src/usecases/review-change.ts';
import { changedBetween, memoryTree } from '../support/memory-tree.ts';

const NO_LATEST = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: no-latest
spec:
  validationFailureAction: Enforce
  rules:
    - name: pinned
      match:
        any:
          - resources:
              kinds: [Deployment]
      validate:
        message: "use a pinned tag"
        pattern:
          spec:
            template:
              spec:
                containers:
                  - image: "!*:latest"
`;

const deployment = (name: string, image: string, replicas = 2) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: cafe
spec:
  replicas: ${replicas}
  template:
    spec:
      containers:
        - name: ${name}
          image: ${image}
`;

const GATEWAY = `apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: cafe
  namespace: cafe
spec:
  gatewayClassName: nginx
  listeners:
    - name: http
      port: 80
      protocol: HTTP
`;

const route = (name: string, path: string) => `apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: ${name}
  namespace: cafe
spec:
  parentRefs: [{name: cafe}]
  hostnames: [cafe.example.com]
  rules:
    - matches: [{path: {type: PathPrefix, value: ${path}}}]
      backendRefs: [{name: ${name}, port: 80}]
`;

const service = (name: string) => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: cafe
spec:
  ports: [{port: 80}]
`;

const CONFIG = `environments:
  - name: staging
    path: envs/staging
  - name: production
    path: envs/production
policies: [policies]
`;

async function review(
  base: Record<string, string>,
  head: Record<string, string>,
  extra: Record<string, unknown> = {},
) {
  return reviewChange({
    target: { baseSha: 'b'.repeat(40), headSha: 'h'.repeat(40), baseRef: 'main', headRef: 'feature' },
    base: memoryTree('b'.repeat(40), base),
    head: memoryTree('h'.repeat(40), head),
    changedFiles: changedBetween(base, head),
    render: renderAllEnvironments,
    ...extra,
  });
}

describe('reviewChange', () => {
  const base = {
    '.tollgate.yml': CONFIG,
    'policies/no-latest.yaml': NO_LATEST,
    // Already on main: a violation this change does not introduce.
    'envs/staging/coffee.yaml': deployment('coffee', 'coffee:latest'),
    'envs/production/coffee.yaml': deployment('coffee', 'coffee:1.0'),
  };

  it('blocks what the change introduces and reports, without blocking, what main already has', async () => {
    const report = await review(base, {
      ...base,
      'envs/production/tea.yaml': deployment('tea', 'tea:latest'),
      // Touched, still violating: the violation is main's, not this change's.
      'envs/staging/coffee.yaml': deployment('coffee', 'coffee:latest', 3),
    });
    expect(report.verdict).toBe('fail');
    const policy = report.findings.filter((f) => f.check === 'policy');
    expect(policy.map((f) => [f.objects, f.environment, f.blocking])).toEqual([
      [['Deployment/cafe/tea'], 'production', true],
      [['Deployment/cafe/coffee'], 'staging', false],
    ]);
    expect(policy[1]!.title).toContain('(already on main)');
    expect(policy[1]!.alreadyOn).toBe('main');
    expect(policy[0]!.alreadyOn).toBeUndefined();
    expect(report.environments).toEqual(['staging', 'production']);
    expect(report.diff?.environments.map((e) => [e.environment, e.counts.added])).toEqual([
      ['staging', 0],
      ['production', 1],
    ]);
    // production's coffee is as on main: counted, not evaluated again.
    expect(report.policy).toEqual({
      source: 'repository',
      policies: 1,
      evaluations: 2,
      passed: 0,
      failed: 2,
      unchanged: 1,
    });
    expect(report.stats).toMatchObject({ objectsChanged: 2, objectsEvaluated: 3, objectsUnchanged: 1 });
  });

  it("does not evaluate objects the change leaves as they are on main (their violations are main's)", async () => {
    const report = await review(base, {
      ...base,
      'envs/production/tea.yaml': deployment('tea', 'tea:1.0'),
    });
    expect(report.verdict).toBe('pass');
    expect(report.findings.filter((f) => f.check === 'policy')).toEqual([]);
    expect(report.stats).toMatchObject({ objectsRendered: 5, objectsChanged: 1, objectsEvaluated: 1 });
  });

  it('parses, in a second review with the same cache (a worker), only the files it did not see', async () => {
    const parseCache = createParsedManifestCache(1 << 20);
    const first = await review(
      base,
      { ...base, 'envs/production/tea.yaml': deployment('tea', 'tea:1.0') },
      { parseCache },
    );
    const second = await review(
      base,
      { ...base, 'envs/production/milk.yaml': deployment('milk', 'milk:1.0') },
      { parseCache },
    );
    expect(first.stats?.filesParsed).toBeGreaterThan(2);
    expect(second.stats).toMatchObject({ filesParsed: 1 });
    expect(second.stats!.parseCacheHits).toBeGreaterThan(first.stats!.parseCacheHits);
  });

  it('evaluates an unchanged object again when its namespace changed (namespaceSelector may now match)', async () => {
    const ns = (team: string) =>
      `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: cafe\n  labels: {team: ${team}}\n`;
    const report = await review(
      { ...base, 'envs/staging/ns.yaml': ns('a') },
      { ...base, 'envs/staging/ns.yaml': ns('b') },
    );
    // The Namespace and the coffee Deployment in it (still on latest: main's violation).
    expect(report.stats).toMatchObject({ objectsChanged: 2, objectsUnchanged: 1 });
    expect(report.findings.filter((f) => f.check === 'policy').map((f) => f.title)).toEqual([
      expect.stringContaining('(already on main)'),
    ]);
  });

  it('reads the configuration and the policies from the base, never from the head', async () => {
    const loosened = {
      ...base,
      '.tollgate.yml': `${CONFIG}blocking: []\n`,
      'policies/no-latest.yaml': NO_LATEST.replace('Enforce', 'Audit'),
      'envs/production/tea.yaml': deployment('tea', 'tea:latest'),
    };
    const report = await review(base, loosened);
    expect(report.verdict).toBe('fail');
    expect(report.findings.find((f) => f.check === 'policy' && f.blocking)?.objects).toEqual([
      'Deployment/cafe/tea',
    ]);
  });

  it('finds a route conflict the change introduces, per environment', async () => {
    const routes = {
      ...base,
      'envs/production/gw.yaml': [
        GATEWAY,
        route('coffee', '/coffee'),
        service('coffee'),
        service('tea'),
      ].join('---\n'),
    };
    const report = await review(routes, {
      ...routes,
      'envs/production/tea-route.yaml': route('tea', '/coffee/'),
    });
    const conflict = report.findings.find((f) => f.check === 'routes');
    expect(conflict).toMatchObject({
      rule: 'duplicate-match',
      blocking: true,
      environment: 'production',
      objects: ['HTTPRoute/cafe/coffee', 'HTTPRoute/cafe/tea'],
    });
  });

  it('blocks a change to a locked environment, and only that one', async () => {
    const lock = {
      environment: 'production',
      lockedBy: 'alice',
      reason: 'release freeze',
      lockedAt: '2026-11-25T00:00:00Z',
    };
    const touchingProd = await review(
      base,
      { ...base, 'envs/production/coffee.yaml': deployment('coffee', 'coffee:1.1') },
      { locks: [lock] },
    );
    expect(touchingProd.findings.filter((f) => f.check === 'lock')).toEqual([
      expect.objectContaining({
        blocking: true,
        environment: 'production',
        title: 'production is locked by @alice',
      }),
    ]);
    const touchingStaging = await review(
      base,
      { ...base, 'envs/staging/coffee.yaml': deployment('coffee', 'coffee:1.1') },
      { locks: [lock] },
    );
    expect(touchingStaging.findings.filter((f) => f.check === 'lock')).toEqual([]);
    expect(touchingStaging.verdict).toBe('pass');
  });

  it('lets a recorded override of a check pass, on the record, for this head only', async () => {
    const head = { ...base, 'envs/production/tea.yaml': deployment('tea', 'tea:latest') };
    const override = {
      check: 'policy',
      headSha: 'h'.repeat(40),
      by: 'bob',
      reason: 'hotfix, image pinned tomorrow',
      at: '2026-11-25T01:00:00Z',
    };
    const overridden = await review(base, head, { overrides: [override] });
    expect(overridden.verdict).toBe('pass');
    expect(overridden.findings.find((f) => f.check === 'policy')?.title).toContain('(overridden by @bob)');
    const stale = await review(base, head, { overrides: [{ ...override, headSha: 'o'.repeat(40) }] });
    expect(stale.verdict).toBe('fail');
  });

  it('applies the branch rules of .tollgate.yml', async () => {
    const strict = {
      ...base,
      '.tollgate.yml': `${CONFIG}branch:\n  sourceBranchPattern: "^feature/"\n  maxBehind: 3\n`,
    };
    const head = { ...strict, 'envs/staging/coffee.yaml': deployment('coffee', 'coffee:1.1') };
    const report = await review(strict, head, {
      branch: { sourceBranch: 'hotfix', targetBranch: 'main', behindBy: 5 },
    });
    expect(report.findings.filter((f) => f.check === 'branch').map((f) => [f.rule, f.blocking])).toEqual([
      ['source-branch-name', true],
      ['up-to-date', true],
    ]);
  });

  it('reports an invalid .tollgate.yml with its line, and still reviews with the defaults', async () => {
    const broken = { ...base, '.tollgate.yml': 'environments:\n  - name: prod\n    paht: envs/production\n' };
    const report = await review(broken, { ...broken, 'envs/x.yaml': 'a: [1\n' });
    expect(report.findings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          check: 'config',
          location: expect.objectContaining({ file: '.tollgate.yml', line: 3 }),
        }),
        expect.objectContaining({
          check: 'yaml',
          location: expect.objectContaining({ file: 'envs/x.yaml' }),
        }),
      ]),
    );
  });
});

describe('reviewChange on a change to the rules themselves', () => {
  const base = {
    '.tollgate.yml': CONFIG,
    'policies/no-latest.yaml': NO_LATEST,
    'envs/staging/coffee.yaml': deployment('coffee', 'coffee:1.0'),
    'envs/production/coffee.yaml': deployment('coffee', 'coffee:1.0'),
  };

  it("blocks a typo in the head's .tollgate.yml, while the base's configuration still judges", async () => {
    const report = await review(base, {
      ...base,
      '.tollgate.yml': CONFIG.replace('environments', 'enviroments'),
    });
    expect(report.verdict).toBe('fail');
    const config = report.findings.filter((f) => f.check === 'config');
    expect(config).toHaveLength(1);
    expect(config[0]).toMatchObject({ blocking: true, location: { file: '.tollgate.yml', line: 1 } });
    expect(config[0]!.message).toContain('unknown key `enviroments` (did you mean `environments`?)');
    // The base's two environments still rendered: the head's broken file judged nothing.
    expect(report.environments).toEqual(['staging', 'production']);
    expect(report.rulesChanged).toEqual(['.tollgate.yml']);
  });

  it('blocks a typo in a changed policy (patern), reported at its line, and says the rules apply after merge', async () => {
    const broken = NO_LATEST.replace('        pattern:', '        patern:');
    const report = await review(base, { ...base, 'policies/no-latest.yaml': broken });
    expect(report.verdict).toBe('fail');
    const invalid = report.findings.filter((f) => f.rule === 'invalid-policy');
    expect(invalid).toHaveLength(1);
    expect(invalid[0]).toMatchObject({
      blocking: true,
      location: { file: 'policies/no-latest.yaml', line: 15 },
    });
    expect(invalid[0]!.message).toContain('did you mean `pattern`?');
    // The base's valid policy still judged the manifests (nothing else fails).
    expect(report.policy?.policies).toBe(1);
    const { formatComment } = await import('../../src/core/report/format-comment.ts');
    expect(formatComment(report)).toContain('take effect after merge');
  });

  it('passes a valid change to the rules and still notes when they apply', async () => {
    const report = await review(base, { ...base, '.tollgate.yml': `${CONFIG}protectedBranch: main\n` });
    expect(report.verdict).toBe('pass');
    expect(report.rulesChanged).toEqual(['.tollgate.yml']);
  });
});
