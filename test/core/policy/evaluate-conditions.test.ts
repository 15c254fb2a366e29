import { describe, expect, it } from 'vitest';
import { applyOperator, evaluateConditions } from '../../../src/core/policy/evaluate-conditions.ts';

describe('applyOperator', () => {
  it.each([
    ['Equals', 'abc', 'a*', true],
    ['Equals', '1Gi', '1024Mi', true],
    ['Equals', '1h', '60m', true],
    ['NotEquals', 'DELETE', 'DELETE', false],
    ['AnyIn', ['a', 'z'], ['a', 'b'], true],
    ['AllIn', ['a', 'z'], ['a', 'b'], false],
    ['AnyNotIn', ['a', 'z'], ['a', 'b'], true],
    ['AllNotIn', ['x', 'z'], ['a', 'b'], true],
    ['AnyNotIn', [], ['a'], false],
    ['In', 'b', ['a', 'b'], true],
    ['NotIn', 'c', ['a', 'b'], true],
    ['GreaterThan', '2Gi', '1Gi', true],
    ['LessThanOrEquals', 3, '3', true],
    ['GreaterThan', '1.10.0', '1.9.0', true],
    ['DurationGreaterThan', '2h', '90m', true],
    ['DurationLessThan', 30, '1m', true],
  ])('%s(%j, %j) = %s', (op, key, value, expected) => {
    expect(applyOperator(op, key, value)).toBe(expected);
  });

  it('rejects unknown operators', () => {
    expect(() => applyOperator('Bogus', 1, 1)).toThrow(/unknown condition operator/);
  });
});

describe('evaluateConditions', () => {
  const ctx = { request: { object: { metadata: { name: 'coffee' } }, operation: 'CREATE' } };

  it('combines any and all, substituting variables', () => {
    const conditions = {
      any: [{ key: '{{ request.object.metadata.name }}', operator: 'Equals', value: 'tea' }],
      all: [{ key: '{{ request.operation }}', operator: 'Equals', value: 'CREATE' }],
    };
    expect(evaluateConditions(conditions, ctx, 'strict')).toBe(false);
    conditions.any.push({ key: '{{ request.object.metadata.name }}', operator: 'Equals', value: 'cof*' });
    expect(evaluateConditions(conditions, ctx, 'strict')).toBe(true);
  });

  it('errors on a missing variable unless defaulted or lenient', () => {
    const missing = [{ key: '{{ request.object.spec.x }}', operator: 'Equals', value: '' }];
    expect(() => evaluateConditions(missing, ctx, 'strict')).toThrow(/Unknown key/);
    expect(evaluateConditions(missing, ctx, 'lenient')).toBe(true);
    const defaulted = [{ key: "{{ request.object.spec.x || 'd' }}", operator: 'Equals', value: 'd' }];
    expect(evaluateConditions(defaulted, ctx, 'strict')).toBe(true);
  });

  it('resolves nested variables and Kyverno functions', () => {
    const c = [
      {
        key: "{{ divide('{{ request.object.metadata.name || '1Gi' }}', '512Mi') }}",
        operator: 'Equals',
        value: 2,
      },
    ];
    expect(() => evaluateConditions(c, ctx, 'strict')).toThrow(/divide/);
    const ok = [{ key: "{{ divide('1Gi', '512Mi') }}", operator: 'Equals', value: 2 }];
    expect(evaluateConditions(ok, ctx, 'strict')).toBe(true);
    const upper = [
      { key: '{{ to_upper(request.object.metadata.name) }}', operator: 'Equals', value: 'COFFEE' },
    ];
    expect(evaluateConditions(upper, ctx, 'strict')).toBe(true);
  });
});

describe('applyOperator: Kyverno handler semantics (pkg/engine/variables/operator)', () => {
  it.each([
    // Equals honours wildcards given by the value, never by the key
    ['Equals', 'nginx:1.27', 'nginx:*', true],
    ['Equals', 'nginx:*', 'nginx:1.27', false],
    // a null key is neither equal nor unequal
    ['Equals', null, null, false],
    ['NotEquals', null, 'x', false],
    // mismatched types: never equal, always unequal
    ['Equals', 'true', true, false],
    ['NotEquals', 'true', true, true],
    ['Equals', 5, '5', true],
    ['Equals', '5', 5, false],
    // a quantity key against a non-quantity string is neither equal nor unequal
    ['Equals', '100', '1*', false],
    ['NotEquals', '100', '1*', false],
    // a duration string on one side compares numbers as seconds
    ['Equals', '1m', 60, true],
    ['GreaterThan', 90, '1m', true],
    // set operators: wildcards on either side
    ['AnyIn', 'kube-system', ['default', 'kube-*'], true],
    ['AnyIn', 'kube-*', ['kube-system'], true],
    ['AllIn', ['a', 'b'], ['a', 'b', 'c'], true],
    ['AllNotIn', ['default', 'kyverno'], ['kube-*', 'ky*'], false],
    ['AllNotIn', ['default', 'kyverno'], ['kube-*'], true],
    ['AllNotIn', [], ['a'], true],
    ['AnyIn', [], ['a'], false],
    ['AllIn', [], ['a'], true],
    // null key or value: every set operator is false
    ['AnyIn', null, ['a'], false],
    ['AllNotIn', null, ['a'], false],
    ['AnyNotIn', 'a', null, false],
    // a string value is a JSON array of strings, or the string itself, or a numeric range
    ['AnyIn', 'b', '["a","b"]', true],
    ['AnyIn', ['x', 'b'], 'b', true],
    ['AnyIn', '5', '1-10', true],
    ['AllIn', ['5', '12'], '1-10', false],
    ['AnyNotIn', ['5', '12'], '1-10', true],
  ])('%s(%j, %j) is %s', (op, key, value, want) => {
    expect(applyOperator(op, key, value)).toBe(want);
  });
});
