/**
 * Scalar comparison of a resource value with a pattern value, following Kyverno's
 * pkg/engine/pattern: `a | b` (or), `a & b` (and), operators `>= <= > < !`, ranges `1-10` and
 * `1!-10`; each condition is tried as a duration, then as a quantity, then as a wildcard string.
 * A missing value counts as "0" for durations and quantities, and never matches a string
 * (so a missing field fails `!foo` but passes `<4Gi`).
 */
import { matchWildcard } from './match-wildcard.ts';
import { parseDuration, parseQuantity } from './parse-quantity.ts';

type Op = '' | '>=' | '<=' | '>' | '<' | '!' | '-' | '!-';

const NOT_IN_RANGE = /^(\d+(?:\.\d+)?[^-]*)!-(\d+(?:\.\d+)?[^-]*)$/;
const IN_RANGE = /^(\d+(?:\.\d+)?[^-]*)-(\d+(?:\.\d+)?[^-]*)$/;

function operatorOf(pattern: string): Op {
  if (pattern.length < 2) return '';
  for (const op of ['>=', '<=', '>', '<', '!'] as const) if (pattern.startsWith(op)) return op;
  if (NOT_IN_RANGE.test(pattern)) return '!-';
  if (IN_RANGE.test(pattern)) return '-';
  return '';
}

/** Go's %f / FormatInt of a number, nil as "0"; undefined for anything else. */
function numberText(value: unknown): string | undefined {
  if (value === null || value === undefined) return '0';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(6);
  return undefined;
}

function compareNumbers(a: number, b: number, op: Op): boolean | undefined {
  switch (op) {
    case '':
      return a === b;
    case '!':
      return a !== b;
    case '>':
      return a > b;
    case '<':
      return a < b;
    case '>=':
      return a >= b;
    case '<=':
      return a <= b;
    default:
      return undefined;
  }
}

/** A Go time.ParseDuration-able string (`0` or number+unit runs), in seconds. */
function goDuration(s: string): number | undefined {
  if (s !== s.trim()) return undefined;
  return parseDuration(s);
}

function goQuantity(s: string): number | undefined {
  if (s !== s.trim() || s === '') return undefined;
  return parseQuantity(s);
}

function stringOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    if (Number.isInteger(value)) return String(value);
    // Go FormatFloat(v, 'E', -1, 64): 1.5 → "1.5E+00"
    const [mantissa, exp] = value.toExponential().split('e');
    const e = Number(exp);
    return `${mantissa!.toUpperCase()}E${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  return undefined;
}

function validateString(value: unknown, pattern: string, op: Op): boolean {
  const pd = goDuration(pattern);
  if (pd !== undefined) {
    const text = numberText(value);
    const vd = text === undefined ? undefined : goDuration(text);
    if (vd !== undefined) {
      const r = compareNumbers(vd, pd, op);
      if (r !== undefined) return r;
    }
  }
  const pq = goQuantity(pattern);
  if (pq !== undefined) {
    const text = numberText(value);
    const vq = text === undefined ? undefined : goQuantity(text);
    if (vq !== undefined) {
      const r = compareNumbers(vq, pq, op);
      if (r !== undefined) return r;
    }
  }
  if (op !== '' && op !== '!') return false; // >, <, ... do not apply to strings
  const text = stringOf(value);
  if (text === undefined) return false;
  const match = matchWildcard(pattern, text);
  return op === '!' ? !match : match;
}

function validateCondition(value: unknown, condition: string): boolean {
  const op = operatorOf(condition);
  if (op === '-' || op === '!-') {
    const m = (op === '-' ? IN_RANGE : NOT_IN_RANGE).exec(condition);
    if (!m) return false;
    return op === '-'
      ? validateCondition(value, `>= ${m[1]}`) && validateCondition(value, `<= ${m[2]}`)
      : validateCondition(value, `< ${m[1]}`) || validateCondition(value, `> ${m[2]}`);
  }
  return validateString(value, condition.slice(op.length).trim(), op);
}

/** Kyverno string pattern against a value (`a | b`, `a & b`, operators, ranges, wildcards). */
export function matchStringPattern(value: unknown, pattern: string): boolean {
  if (value === pattern) return true;
  return pattern.split('|').some((alternative) =>
    alternative
      .trim()
      .split('&')
      .every((condition) => validateCondition(value, condition.trim())),
  );
}

/** Compares a scalar resource value with a scalar pattern value as Kyverno's pattern.Validate. */
export function matchScalarPattern(value: unknown, pattern: unknown): boolean {
  if (pattern === null || pattern === undefined) {
    return value === null || value === undefined || value === '' || value === 0 || value === false;
  }
  if (typeof pattern === 'boolean') return value === pattern;
  if (typeof pattern === 'number') {
    if (typeof value === 'number') return value === pattern;
    if (typeof value === 'string') {
      if (Number.isInteger(pattern)) return /^[+-]?\d+$/.test(value) && Number(value) === pattern;
      const n = Number.parseFloat(value);
      return value.trim() !== '' && !Number.isNaN(Number(value)) && n === pattern;
    }
    return false;
  }
  if (typeof pattern === 'string') return matchStringPattern(value, pattern);
  return false;
}
