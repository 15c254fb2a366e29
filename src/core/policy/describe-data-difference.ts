/**
 * Compares two JSON values as data, as `kyverno test` compares patched and generated resources:
 * numbers by value, maps regardless of key order, and nulls, empty maps and empty lists the same
 * as absent. Returns the first difference (`at /spec/x: expected 1, got 2`) or undefined.
 */
import { isJsonObject } from './kyverno-policy.ts';

function isEmpty(v: unknown): boolean {
  return (
    v === null ||
    v === undefined ||
    (Array.isArray(v) && v.length === 0) ||
    (isJsonObject(v) && Object.values(v).every(isEmpty))
  );
}

function show(v: unknown): string {
  const text = JSON.stringify(v) ?? 'nothing';
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function differ(a: unknown, b: unknown, path: string): string | undefined {
  if (isEmpty(a) && isEmpty(b)) return undefined;
  if (isJsonObject(a) && isJsonObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of [...keys].sort()) {
      const d = differ(a[k], b[k], `${path}/${k.replaceAll('~', '~0').replaceAll('/', '~1')}`);
      if (d) return d;
    }
    return undefined;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length)
      return `at ${path || '/'}: expected ${a.length} items, got ${b.length} (${show(b)})`;
    for (let i = 0; i < a.length; i++) {
      const d = differ(a[i], b[i], `${path}/${i}`);
      if (d) return d;
    }
    return undefined;
  }
  if (a === b) return undefined;
  if (typeof a === 'number' && typeof b === 'number' && a === b) return undefined;
  return `at ${path || '/'}: expected ${show(a)}, got ${show(b)}`;
}

export function describeDataDifference(expected: unknown, actual: unknown): string | undefined {
  return differ(expected, actual, '');
}
