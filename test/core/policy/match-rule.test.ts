import { describe, expect, it } from 'vitest';
import { type MatchSubject, matchRule } from '../../../src/core/policy/match-rule.ts';

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
});
