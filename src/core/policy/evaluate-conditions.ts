import { compareSemver } from './compare-semver.ts';
import { isJsonObject } from './kyverno-policy.ts';
import { matchWildcard } from './match-wildcard.ts';
import { parseDuration, parseQuantity } from './parse-quantity.ts';
import { type SubstitutionMode, substituteAll } from './substitute-variables.ts';

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

/** Orders key against value as Kyverno's numeric handler does: number, duration, quantity, semver. */
function compareOrdered(key: unknown, value: unknown): number | undefined {
  const kn = asNumber(key);
  const vn = asNumber(value);
  if (kn !== undefined && vn !== undefined) return kn - vn;
  const kd = parseDuration(key);
  const vd = parseDuration(value);
  if (kd !== undefined && vd !== undefined) return kd - vd;
  const kq = parseQuantity(key);
  const vq = parseQuantity(value);
  if (kq !== undefined && vq !== undefined) return kq - vq;
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
  return typeof v === 'number' ? v : (parseDuration(v) ?? asNumber(v));
}

function equals(key: unknown, value: unknown): boolean {
  if (typeof key === 'string' && typeof value === 'string') {
    const kd = parseDuration(key);
    const vd = parseDuration(value);
    if (kd !== undefined && vd !== undefined) return kd === vd;
    const kq = parseQuantity(key);
    const vq = parseQuantity(value);
    if (kq !== undefined && vq !== undefined) return kq === vq;
    return matchWildcard(value, key);
  }
  if (typeof key === 'number' || typeof value === 'number') {
    const kn = asNumber(key) ?? parseQuantity(key);
    const vn = asNumber(value) ?? parseQuantity(value);
    if (kn !== undefined && vn !== undefined) return kn === vn;
  }
  if (key === null || key === undefined) return value === null || value === undefined || value === '';
  return deepEqual(key, value);
}

function toList(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string' && v.trim().startsWith('[')) {
    try {
      const parsed = JSON.parse(v);
      if (Array.isArray(parsed)) return parsed;
    } catch {
      /* a plain string */
    }
  }
  return [v];
}

function inList(item: unknown, list: unknown[]): boolean {
  return list.some((candidate) =>
    typeof candidate === 'string' && (typeof item === 'string' || typeof item === 'number')
      ? matchWildcard(candidate, String(item))
      : deepEqual(item, candidate),
  );
}

/** One Kyverno condition operator (current and deprecated names, case-insensitive). */
export function applyOperator(operator: string, key: unknown, value: unknown): boolean {
  const op = operator.toLowerCase();
  const keys = () => (Array.isArray(key) ? key : [key]);
  const values = () => toList(value);
  const setOp = ['in', 'allin', 'anyin', 'notin', 'anynotin', 'allnotin'].includes(op);
  // Kyverno's set operators are false when either side is neither a list nor a scalar.
  if (setOp && (value === null || value === undefined || key === null || key === undefined)) return false;
  switch (op) {
    case 'equals':
    case 'equal':
      return equals(key, value);
    case 'notequals':
    case 'notequal':
      return !equals(key, value);
    case 'in':
    case 'allin':
      return keys().every((k) => inList(k, values()));
    case 'anyin':
      return keys().some((k) => inList(k, values()));
    case 'notin':
      return !keys().every((k) => inList(k, values()));
    case 'anynotin':
      return keys().some((k) => !inList(k, values()));
    case 'allnotin':
      return keys().every((k) => !inList(k, values()));
    case 'greaterthan':
    case 'greaterthanorequals':
    case 'lessthan':
    case 'lessthanorequals': {
      const c = compareOrdered(key, value);
      if (c === undefined) return false;
      return op === 'greaterthan'
        ? c > 0
        : op === 'greaterthanorequals'
          ? c >= 0
          : op === 'lessthan'
            ? c < 0
            : c <= 0;
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

function evaluateOne(condition: unknown, context: unknown, mode: SubstitutionMode): boolean {
  if (!isJsonObject(condition)) throw new Error('a condition must be an object with key, operator, value');
  const key = substituteAll(condition.key, context, mode);
  const value = substituteAll(condition.value, context, mode);
  return applyOperator(String(condition.operator ?? 'Equals'), key, value);
}

/**
 * Evaluates Kyverno conditions (`{any: [...], all: [...]}` or a legacy list meaning all).
 * Throws when a variable cannot be resolved in `strict` mode.
 */
export function evaluateConditions(conditions: unknown, context: unknown, mode: SubstitutionMode): boolean {
  if (conditions === undefined || conditions === null) return true;
  if (Array.isArray(conditions)) return conditions.every((c) => evaluateOne(c, context, mode));
  if (!isJsonObject(conditions)) throw new Error('conditions must be a list or {any, all}');
  const any = Array.isArray(conditions.any) ? conditions.any : [];
  const all = Array.isArray(conditions.all) ? conditions.all : [];
  const anyOk = any.length === 0 || any.some((c) => evaluateOne(c, context, mode));
  return anyOk && all.every((c) => evaluateOne(c, context, mode));
}
