import { describe, expect, it } from 'vitest';
import { parseQuantity, quantityFromInteger } from '../../../../src/core/policy/cel/kubernetes-quantity.ts';

const q = (text: string) => {
  const parsed = parseQuantity(text);
  if (!parsed) throw new Error(`not a quantity: ${text}`);
  return parsed;
};

describe('parseQuantity', () => {
  it.each([
    ['1Gi', 1073741824],
    ['100Mi', 104857600],
    ['1.5Ki', 1536],
    ['250m', 0.25],
    ['2k', 2000],
    ['1e3', 1000],
    ['1E-3', 0.001],
    ['-3', -3],
    ['+.5', 0.5],
    ['12n', 12e-9],
    ['7', 7],
  ])('reads %s as %d', (text, value) => {
    expect(q(text).asApproximateFloat()).toBeCloseTo(value, 12);
  });

  it.each(['', 'Gi', '1 Gi', '1GB', '1.2.3', 'abc', '1e', '--1', '1Kib'])('refuses %j', (text) => {
    expect(parseQuantity(text)).toBeUndefined();
  });
});

describe('Quantity', () => {
  it('compares exactly across suffixes', () => {
    expect(q('1Gi').compareTo(q('1024Mi'))).toBe(0);
    expect(q('1G').compareTo(q('1Gi'))).toBe(-1);
    expect(q('1').compareTo(q('1000m'))).toBe(0);
    expect(q('0.1').compareTo(q('100m'))).toBe(0);
    expect(q('1001m').compareTo(q('1'))).toBe(1);
  });

  it('adds, subtracts and converts to integers only when whole', () => {
    expect(q('1.5').add(q('500m')).asInteger()).toBe(2n);
    expect(q('1').sub(quantityFromInteger(3n)).sign()).toBe(-1);
    expect(q('1.5').asInteger()).toBeUndefined();
    expect(q('1.5').isInteger()).toBe(false);
    expect(q('10Ei').isInteger()).toBe(false); // beyond int64
    expect(q('0').sign()).toBe(0);
  });

  it('prints the text it came from, or a canonical form', () => {
    expect(String(q('100Mi'))).toBe('100Mi');
    expect(String(q('1').add(q('500m')))).toBe('1500m');
    expect(String(q('2').add(q('3')))).toBe('5');
  });
});
