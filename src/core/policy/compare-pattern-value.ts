import { hasWildcard, matchWildcard } from './match-wildcard.ts';
import { parseDuration, parseQuantity } from './parse-quantity.ts';

function asNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  return undefined;
}

/** Numeric order of a resource value against a pattern operand: numbers, durations, quantities. */
export function orderValues(value: unknown, operand: string): number | undefined {
  const vn = asNumber(value);
  const on = asNumber(operand);
  if (vn !== undefined && on !== undefined) return vn - on;
  const vd = parseDuration(value);
  const od = parseDuration(operand);
  if (vd !== undefined && od !== undefined && (vn === undefined || on === undefined)) return vd - od;
  const vq = parseQuantity(value);
  const oq = parseQuantity(operand);
  if (vq !== undefined && oq !== undefined) return vq - oq;
  return undefined;
}

function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function equalsPattern(value: unknown, pattern: string): boolean {
  if (value === null || value === undefined) return false;
  if (pattern === '*') return true;
  if (pattern === '?*')
    return textOf(value) !== '' && textOf(value) !== undefined ? true : typeof value === 'object';
  const text = textOf(value);
  if (text === undefined) return false;
  if (matchWildcard(pattern, text)) return true;
  if (!hasWildcard(pattern)) {
    const q = parseQuantity(pattern);
    const vq = parseQuantity(text);
    if (q !== undefined && vq !== undefined && /[a-zA-Z]/.test(pattern + text)) return q === vq;
  }
  return false;
}

const RANGE = /^([^!\s]+?)(!?)-([^\s]+)$/;

function checkSingle(value: unknown, condition: string): boolean {
  const c = condition.trim();
  const range = RANGE.exec(c);
  if (range && orderValues(range[1], range[3]!) !== undefined) {
    const lo = orderValues(value, range[1]!);
    const hi = orderValues(value, range[3]!);
    if (lo === undefined || hi === undefined) return false;
    const inside = lo >= 0 && hi <= 0;
    return range[2] ? !inside : inside;
  }
  for (const op of ['>=', '<=', '>', '<'] as const) {
    if (c.startsWith(op)) {
      const order = orderValues(value, c.slice(op.length).trim());
      if (order === undefined) return false;
      return op === '>=' ? order >= 0 : op === '<=' ? order <= 0 : op === '>' ? order > 0 : order < 0;
    }
  }
  if (c.startsWith('!')) {
    if (value === null || value === undefined) return true;
    return !equalsPattern(value, c.slice(1));
  }
  return equalsPattern(value, c);
}

/** Kyverno string pattern: `a | b` (or), `a & b` (and), operators, ranges `1-10` / `1!-10`, wildcards. */
export function matchStringPattern(value: unknown, pattern: string): boolean {
  if (pattern === '') return value === '' || value === null || value === undefined;
  return pattern
    .split('|')
    .some((alternative) => alternative.split('&').every((condition) => checkSingle(value, condition)));
}

/** Compares a scalar resource value with a scalar pattern value as Kyverno does. */
export function matchScalarPattern(value: unknown, pattern: unknown): boolean {
  if (pattern === null || pattern === undefined) {
    return value === null || value === undefined || value === '' || value === 0 || value === false;
  }
  if (typeof pattern === 'boolean') return value === pattern;
  if (typeof pattern === 'number') {
    if (typeof value === 'number') return value === pattern;
    if (typeof value === 'string') return asNumber(value) === pattern;
    return false;
  }
  if (typeof pattern === 'string') return matchStringPattern(value, pattern);
  return false;
}
