import { describe, expect, it } from 'vitest';
import { compareRouteFindings } from '../../../src/core/routes/compare-route-findings.ts';
import { findCrossChangeConflicts } from '../../../src/core/routes/find-cross-change-conflicts.ts';
import { makeRouteFinding } from '../../../src/core/routes/route-finding.ts';
import { routeFindingsToFindings } from '../../../src/core/routes/route-findings-to-findings.ts';
import {
  ALL_NAMESPACES,
  gateway,
  listener,
  manifestsOf,
  prefixRule,
  route,
  service,
  summarize,
} from './route-test-helpers.ts';

describe('compareRouteFindings', () => {
  it('keys findings by type and objects, not by lines or wording', () => {
    const dup = makeRouteFinding('duplicate-match', ['HTTPRoute/b/y', 'HTTPRoute/a/x'], 'old text', [
      { file: 'a.yaml', line: 3 },
    ]);
    const moved = makeRouteFinding('duplicate-match', ['HTTPRoute/a/x', 'HTTPRoute/b/y'], 'new text', [
      { file: 'a.yaml', line: 9 },
    ]);
    const gone = makeRouteFinding('backend-not-found', ['HTTPRoute/a/x', 'Service/a/s'], 'm', []);
    const added = makeRouteFinding('parent-not-found', ['Gateway/a/g', 'HTTPRoute/a/x'], 'm', []);
    const result = compareRouteFindings([dup, gone], [moved, added]);
    expect(result.existing).toEqual([moved]);
    expect(result.introduced).toEqual([added]);
    expect(result.resolved).toEqual([gone]);
  });
});

describe('routeFindingsToFindings', () => {
  it('maps to check routes, rule = type, errors blocking, first location, environment', () => {
    const error = makeRouteFinding('duplicate-match', ['HTTPRoute/a/x'], 'msg', [
      { file: 'r.yaml', line: 4 },
    ]);
    const warning = makeRouteFinding('regex-path-overlap', ['HTTPRoute/a/x', 'HTTPRoute/a/y'], 'msg', []);
    const [e, w] = routeFindingsToFindings([error, warning], 'production');
    expect(e).toMatchObject({
      check: 'routes',
      rule: 'duplicate-match',
      severity: 'error',
      blocking: true,
      location: { file: 'r.yaml', line: 4 },
      environment: 'production',
      objects: ['HTTPRoute/a/x'],
    });
    expect(w).toMatchObject({ severity: 'warning', blocking: false });
    expect(w!.location).toBeUndefined();
  });
});

describe('findCrossChangeConflicts', () => {
  const gw = gateway('cafe', 'infra', listener('http', 80, 'HTTP', ALL_NAMESPACES));
  const parent = '  - name: cafe\n    namespace: infra';
  const target = manifestsOf(
    gw,
    service('coffee', 'a'),
    service('coffee', 'b'),
    service('coffee', 'c'),
    route({
      name: 'menu',
      namespace: 'a',
      parentRefs: parent,
      hostnames: ['cafe.example.com'],
      rules: prefixRule('/menu'),
    }),
  );
  const routeDoc = (name: string, ns: string, path: string) =>
    route({
      name,
      namespace: ns,
      parentRefs: parent,
      hostnames: ['cafe.example.com'],
      rules: prefixRule(path),
    });

  it('reports findings that only appear when both changes are merged', () => {
    const mine = [...target, ...manifestsOf(routeDoc('cart', 'b', '/cart'))];
    const others = [
      { id: '!12', manifests: [...target, ...manifestsOf(routeDoc('cart-v2', 'c', '/cart/'))] },
      { id: '!13', manifests: [...target, ...manifestsOf(routeDoc('tea', 'c', '/tea'))] },
      { id: '!14', manifests: [...target, ...manifestsOf(routeDoc('menu-copy', 'c', '/menu'))] },
    ];
    const result = findCrossChangeConflicts(target, mine, others);
    expect(result.map((r) => ({ otherId: r.otherId, findings: summarize(r.findings) }))).toEqual([
      { otherId: '!12', findings: ['duplicate-match: HTTPRoute/b/cart HTTPRoute/c/cart-v2'] },
    ]);
  });

  it('returns nothing when this change touches no route-relevant object', () => {
    const others = [{ id: '!12', manifests: [...target, ...manifestsOf(routeDoc('x', 'c', '/menu'))] }];
    expect(findCrossChangeConflicts(target, target, others)).toEqual([]);
  });
});
