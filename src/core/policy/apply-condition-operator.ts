/**
 * Kyverno's condition operators (pkg/engine/variables/operator), typed by the key as Kyverno's
 * handlers are: Equals/NotEquals, the set operators AnyIn/AllIn/AnyNotIn/AllNotIn (wildcards on
 * either side), the deprecated In/NotIn, numeric (number, duration, quantity, semver) and
 * Duration* comparisons.
 */
import { matchStringPattern } from './compare-pattern-value.ts';
import { compareSemver } from './compare-semver.ts';
import { isJsonObject } from './kyverno-policy.ts';
import { matchWildcard } from './match-wildcard.ts';
import { parseDuration, parseQuantity } from './parse-quantity.ts';

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function asNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  return undefined;
}

/** Kyverno's parseDuration(key, value): one side a duration string (not "0"), the other a duration or seconds. */
function durationPair(key: unknown, value: unknown): [number, number] | undefined {
  const asDuration = (v: unknown) => (typeof v === 'string' && v !== '0' ? parseDuration(v) : undefined);
  let k = asDuration(key);
  let v = asDuration(value);
  if (k === undefined && v === undefined) return undefined;
  if (k === undefined) {
    if (typeof key !== 'number') return undefined;
    k = Math.trunc(key);
  }
  if (v === undefined) {
    if (typeof value !== 'number') return undefined;
    v = Math.trunc(value);
  }
  return [k, v];
}

/** Orders key against value as Kyverno's numeric handler: duration, quantity, number, semver. */
function compareOrdered(key: unknown, value: unknown): number | undefined {
  const d = durationPair(key, value);
  if (d) return d[0] - d[1];
  if (typeof key === 'string' && typeof value === 'string') {
    const kq = parseQuantity(key);
    const vq = parseQuantity(value);
    if (kq !== undefined && vq !== undefined) return kq - vq;
  }
  const kn = asNumber(key);
  const vn = asNumber(value);
  if (kn !== undefined && vn !== undefined) return kn - vn;
  if (typeof key === 'string' && typeof value === 'string') {
    try {
      if (compareSemver(key, `>${value}`)) return 1;
      if (compareSemver(key, `<${value}`)) return -1;
      return 0;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function durationSeconds(v: unknown): number | undefined {
  return typeof v === 'number' ? v : parseDuration(v);
}

function goFloat(s: string): number | undefined {
  return s.trim() === s && s !== '' && !Number.isNaN(Number(s)) ? Number(s) : undefined;
}

/**
 * Equals/NotEquals: a string key compares as a duration, then as a quantity (a non-quantity string
 * value is then neither equal nor unequal), then against the value as a wildcard pattern; a null
 * key is neither equal nor unequal; mismatched types are unequal.
 */
function compareEquality(key: unknown, value: unknown, negate: boolean): boolean {
  const result = (equal: boolean) => (negate ? !equal : equal);
  if (typeof key === 'boolean') return typeof value === 'boolean' ? result(key === value) : negate;
  if (typeof key === 'number') {
    if (typeof value === 'number') return result(key === value);
    if (typeof value === 'string') {
      const n = goFloat(value);
      return n === undefined ? negate : result(n === key);
    }
    return negate;
  }
  if (typeof key === 'string') {
    const d = durationPair(key, value);
    if (d) return result(d[0] === d[1]);
    const kq = key.trim() === key ? parseQuantity(key) : undefined;
    if (kq !== undefined && typeof value === 'string') {
      const vq = value.trim() === value ? parseQuantity(value) : undefined;
      return vq === undefined ? false : result(kq === vq);
    }
    if (typeof value === 'string') return result(matchWildcard(value, key));
    return negate;
  }
  if (Array.isArray(key)) return Array.isArray(value) ? result(deepEqual(key, value)) : negate;
  if (isJsonObject(key)) return isJsonObject(value) ? result(deepEqual(key, value)) : negate;
  return false;
}

/** Go's fmt.Sprint of what the set operators stringify. */
function sprint(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

const IN_RANGE = /^(\d+(\.\d+)?)([^-]*)-(\d+(\.\d+)?)([^-]*)$/;

/** A string value of a set operator: a JSON array of strings, else the string itself. */
function valueStrings(value: string): string[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return [value];
  }
  if (!Array.isArray(parsed) || parsed.some((x) => typeof x !== 'string')) return undefined;
  return parsed as string[];
}

type SetOp = 'anyin' | 'allin' | 'anynotin' | 'allnotin';

const bothWays = (a: string, b: string) => matchWildcard(a, b) || matchWildcard(b, a);

/** AnyIn / AllIn / AnyNotIn / AllNotIn; false when the key or value is null or of another type. */
function setOperator(op: SetOp, key: unknown, value: unknown): boolean {
  const negative = op === 'anynotin' || op === 'allnotin';
  if (typeof key === 'string' || typeof key === 'number' || typeof key === 'boolean') {
    const k = sprint(key);
    let exists: boolean;
    if (Array.isArray(value)) exists = value.some((v) => bothWays(sprint(v), k));
    else if (typeof value === 'string') {
      if (matchWildcard(value, k)) exists = true;
      else if (IN_RANGE.test(value)) exists = matchStringPattern(k, value);
      else {
        const list = valueStrings(value);
        if (!list) return false;
        exists = list.includes(k);
      }
    } else return false;
    return negative ? !exists : exists;
  }
  if (!Array.isArray(key)) return false;
  const keys = key.map(sprint);
  let values: string[];
  if (Array.isArray(value)) values = value.map(sprint);
  else if (typeof value === 'string') {
    if (keys.length === 1 && keys[0] === value) return !negative;
    if (IN_RANGE.test(value)) {
      const inRange = (k: string) => matchStringPattern(k, value);
      if (op === 'anyin') return keys.some(inRange);
      if (op === 'allin') return keys.every(inRange);
      if (op === 'anynotin') return keys.some((k) => matchStringPattern(k, value.replace('-', '!-')));
      return !keys.some(inRange);
    }
    const list = valueStrings(value);
    if (!list) return false;
    values = list;
  } else return false;
  const found = (k: string) => values.some((v) => bothWays(k, v));
  if (op === 'anyin') return keys.some(found);
  if (op === 'allin') return keys.every(found);
  if (op === 'anynotin') return keys.some((k) => !found(k));
  return keys.every((k) => !found(k));
}

/** The deprecated In / NotIn: a scalar key is the wildcard pattern; key lists compare exactly. */
function legacyIn(key: unknown, value: unknown, negate: boolean): boolean {
  if (typeof key === 'string' || typeof key === 'number') {
    const k = sprint(key);
    let exists: boolean;
    if (Array.isArray(value)) exists = value.some((v) => matchWildcard(k, sprint(v)));
    else if (typeof value === 'string') {
      if (matchWildcard(value, k)) exists = true;
      else {
        const list = valueStrings(value);
        if (!list) return false;
        exists = list.includes(k);
      }
    } else return false;
    return negate ? !exists : exists;
  }
  if (!Array.isArray(key)) return false;
  const keys = key.map(sprint);
  let values: string[];
  if (Array.isArray(value)) {
    if (value.some((v) => typeof v !== 'string')) return false;
    values = value as string[];
  } else if (typeof value === 'string') {
    if (keys.length === 1 && keys[0] === value) return true;
    const list = valueStrings(value);
    if (!list) return false;
    values = list;
  } else return false;
  const set = new Set(values);
  return negate ? keys.some((k) => !set.has(k)) : keys.every((k) => set.has(k));
}

/** Every operator name `applyOperator` accepts, lower-cased. */
const KNOWN_OPERATORS = new Set([
  'equals',
  'equal',
  'notequals',
  'notequal',
  'in',
  'notin',
  'anyin',
  'allin',
  'anynotin',
  'allnotin',
  'greaterthan',
  'greaterthanorequals',
  'lessthan',
  'lessthanorequals',
  'durationgreaterthan',
  'durationgreaterthanorequals',
  'durationlessthan',
  'durationlessthanorequals',
]);

/** True when `operator` names a Kyverno condition operator (case-insensitive), as at policy load. */
export function isConditionOperator(operator: string): boolean {
  return KNOWN_OPERATORS.has(operator.toLowerCase());
}

/** One Kyverno condition operator (current and deprecated names, case-insensitive). */
export function applyOperator(operator: string, key: unknown, value: unknown): boolean {
  const op = operator.toLowerCase();
  switch (op) {
    case 'equals':
    case 'equal':
      return compareEquality(key, value, false);
    case 'notequals':
    case 'notequal':
      return compareEquality(key, value, true);
    case 'in':
      return legacyIn(key, value, false);
    case 'notin':
      return legacyIn(key, value, true);
    case 'anyin':
    case 'allin':
    case 'anynotin':
    case 'allnotin':
      return setOperator(op, key, value);
    case 'greaterthan':
    case 'greaterthanorequals':
    case 'lessthan':
    case 'lessthanorequals': {
      if (typeof key !== 'string' && typeof key !== 'number') return false;
      const c = compareOrdered(key, value);
      if (c === undefined) return false;
      if (op === 'greaterthan') return c > 0;
      if (op === 'greaterthanorequals') return c >= 0;
      if (op === 'lessthan') return c < 0;
      return c <= 0;
    }
    case 'durationgreaterthan':
    case 'durationgreaterthanorequals':
    case 'durationlessthan':
    case 'durationlessthanorequals': {
      const k = durationSeconds(key);
      const v = durationSeconds(value);
      if (k === undefined || v === undefined) return false;
      if (op === 'durationgreaterthan') return k > v;
      if (op === 'durationgreaterthanorequals') return k >= v;
      if (op === 'durationlessthan') return k < v;
      return k <= v;
    }
    default:
      throw new Error(`unknown condition operator ${JSON.stringify(operator)}`);
  }
}
