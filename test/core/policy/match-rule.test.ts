import { describe, expect, it } from 'vitest';
import { type MatchSubject, matchRule, type RequestInfo } from '../../../src/core/policy/match-rule.ts';

const pod: MatchSubject = {
  group: '',
  version: 'v1',
  kind: 'Pod',
  name: 'tea',
  namespace: 'shop',
  labels: {},
  annotations: {},
  operation: 'CREATE',
};

const rule = (namespaceSelector: unknown) => ({
  match: { any: [{ resources: { kinds: ['Pod'], namespaceSelector } }] },
});

describe('matchRule namespaceSelector', () => {
  it('matches unknown namespace labels as an empty label set', () => {
    expect(matchRule(rule({ matchLabels: { env: 'prod' } }), pod)).toBe(false);
    expect(
      matchRule(rule({ matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] }), pod),
    ).toBe(true);
    expect(
      matchRule(rule({ matchLabels: { env: 'prod' } }), { ...pod, namespaceLabels: { env: 'prod' } }),
    ).toBe(true);
  });

  it('never matches user-info filters offline, so such an exclude does not exclude', () => {
    const withExclude = {
      ...rule({ matchExpressions: [] }),
      exclude: { any: [{ subjects: [{ kind: 'User', name: 'admin' }] }] },
    };
    expect(matchRule(withExclude, pod)).toBe(true);
  });

  it('never selects a Namespace itself with a namespaceSelector', () => {
    const ns: MatchSubject = {
      ...pod,
      kind: 'Namespace',
      name: 'shop',
      namespace: '',
      labels: { env: 'prod' },
    };
    const r = {
      match: {
        any: [{ resources: { kinds: ['Namespace'], namespaceSelector: { matchLabels: { env: 'prod' } } } }],
      },
    };
    expect(matchRule(r, ns)).toBe(false);
  });
});

describe('matchRule user info', () => {
  const barista: RequestInfo = {
    roles: ['shop:barista'],
    clusterRoles: ['cafe-operator'],
    userInfo: { username: 'system:serviceaccount:shop:deployer', groups: ['baristas'] },
  };
  const byRole = {
    match: { any: [{ resources: { kinds: ['Pod'] }, clusterRoles: ['cafe-operator'] }] },
  };

  it('ignores user info in match filters when the requester is unknown, as the Kyverno CLI', () => {
    expect(matchRule(byRole, pod)).toBe(true);
    expect(matchRule({ match: { any: [{ clusterRoles: ['cafe-operator'] }] } }, pod)).toBe(false);
  });

  it('checks roles, cluster roles and subjects when the requester is known', () => {
    expect(matchRule(byRole, { ...pod, requestInfo: barista })).toBe(true);
    expect(matchRule(byRole, { ...pod, requestInfo: { clusterRoles: ['viewer'] } })).toBe(false);
    const bySubject = (subjects: unknown[]) => ({
      match: { any: [{ resources: { kinds: ['Pod'] }, subjects }] },
    });
    const sa = [{ kind: 'ServiceAccount', name: 'deployer', namespace: 'shop' }];
    expect(matchRule(bySubject(sa), { ...pod, requestInfo: barista })).toBe(true);
    expect(
      matchRule(bySubject([{ kind: 'Group', name: 'barista*' }]), { ...pod, requestInfo: barista }),
    ).toBe(true);
    expect(matchRule(bySubject([{ kind: 'User', name: 'alice' }]), { ...pod, requestInfo: barista })).toBe(
      false,
    );
  });

  it('excludes by user info only when the requester holds the role', () => {
    const r = {
      match: { any: [{ resources: { kinds: ['Pod'] } }] },
      exclude: { any: [{ clusterRoles: ['cafe-operator'] }] },
    };
    expect(matchRule(r, pod)).toBe(true);
    expect(matchRule(r, { ...pod, requestInfo: barista })).toBe(false);
  });

  it('excludes by label selector and by operation', () => {
    const r = {
      match: { any: [{ resources: { kinds: ['Pod'], operations: ['CREATE', 'UPDATE'] } }] },
      exclude: { any: [{ resources: { selector: { matchLabels: { tier: 'legacy' } } } }] },
    };
    expect(matchRule(r, pod)).toBe(true);
    expect(matchRule(r, { ...pod, labels: { tier: 'legacy' } })).toBe(false);
    expect(matchRule(r, { ...pod, operation: 'DELETE' })).toBe(false);
  });
});
