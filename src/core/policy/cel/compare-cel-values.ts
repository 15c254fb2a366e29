import { EvaluationError } from '@marcbachmann/cel-js';
import { Quantity } from './kubernetes-quantity.ts';

/**
 * Equality and ordering of CEL runtime values as the list/set libraries need them (`indexOf`,
 * `isSorted`, `min`, `sets.contains`...). Numbers compare across int (bigint) and double (number)
 * the way CEL's heterogeneous numeric equality does.
 */
function isNumeric(value: unknown): value is number | bigint {
  return typeof value === 'number' || typeof value === 'bigint';
}

function compareNumeric(a: number | bigint, b: number | bigint): number {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  const x = Number(a);
  const y = Number(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function entriesOf(value: object): [unknown, unknown][] {
  return value instanceof Map ? [...value.entries()] : Object.entries(value);
}

export function celEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (isNumeric(a) && isNumeric(b)) return compareNumeric(a, b) === 0;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (a instanceof Quantity && b instanceof Quantity) return a.compareTo(b) === 0;
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    return a.length === b.length && a.every((byte, i) => byte === b[i]);
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => celEquals(x, b[i]))
    );
  }
  const left = entriesOf(a);
  const right = new Map(entriesOf(b));
  if (left.length !== right.size) return false;
  return left.every(([key, value]) => right.has(key) && celEquals(value, right.get(key)));
}

/** Orders two comparable CEL values; throws a CEL evaluation error when they are not comparable. */
export function celCompare(a: unknown, b: unknown): number {
  if (isNumeric(a) && isNumeric(b)) return compareNumeric(a, b);
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  if (a instanceof Quantity && b instanceof Quantity) return a.compareTo(b);
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) if (a[i] !== b[i]) return (a[i] ?? 0) - (b[i] ?? 0);
    return a.length - b.length;
  }
  throw new EvaluationError(
    `no such overload: values of types ${describe(a)} and ${describe(b)} are not comparable`,
  );
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'bigint') return 'int';
  if (typeof value === 'number') return 'double';
  if (Array.isArray(value)) return 'list';
  if (value instanceof Map || Object.getPrototypeOf(value) === Object.prototype) return 'map';
  if (typeof value === 'object') return value.constructor?.name ?? 'object';
  return typeof value;
}
