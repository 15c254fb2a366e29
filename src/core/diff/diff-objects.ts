import { isPlainObject } from '../render/apply-strategic-merge-patch.ts';
import { findListMergeKey } from '../render/find-list-merge-key.ts';
import type { FieldChange } from './manifest-diff.ts';
import { deepEqual } from './normalize-for-diff.ts';

/** `.spec`, or `["app.kubernetes.io/name"]` for keys that are not plain identifiers. */
export function formatKeySegment(key: string, first: boolean): string {
  if (/^[A-Za-z_$][\w$-]*$/.test(key)) return first ? key : `.${key}`;
  return `[${JSON.stringify(key)}]`;
}

function isScalar(value: unknown): boolean {
  return value === null || typeof value !== 'object';
}

/**
 * Field-level differences between two versions of an object: maps key by key, lists item by item
 * matched by their Kubernetes merge key (`containers[name=app]`, `ports[containerPort=80]`,
 * `env[name=X]`; `name` when every item has a distinct one; else by index). Lists of scalars change
 * as a whole. Leaves are reported with their old and new values.
 */
export function diffObjects(before: unknown, after: unknown): FieldChange[] {
  const out: FieldChange[] = [];
  walk(before, after, '', [], out);
  return out;
}

function walk(a: unknown, b: unknown, path: string, names: string[], out: FieldChange[]): void {
  if (deepEqual(a, b)) return;
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = [...Object.keys(a), ...Object.keys(b).filter((k) => !Object.hasOwn(a, k))];
    for (const key of keys) {
      const child = path + formatKeySegment(key, path === '');
      if (!Object.hasOwn(b, key)) out.push({ path: child, change: 'removed', before: a[key] });
      else if (!Object.hasOwn(a, key)) out.push({ path: child, change: 'added', after: b[key] });
      else walk(a[key], b[key], child, [...names, key], out);
    }
    return;
  }
  if (
    Array.isArray(a) &&
    Array.isArray(b) &&
    a.length > 0 &&
    b.length > 0 &&
    !a.every(isScalar) &&
    !b.every(isScalar)
  ) {
    const keyA = findListMergeKey(names, a);
    const keyB = findListMergeKey(names, b);
    if (keyA && keyA === keyB) {
      const selector = (item: unknown) =>
        `${path}[${keyA}=${String((item as Record<string, unknown>)[keyA])}]`;
      const byKey = new Map(b.map((item) => [(item as Record<string, unknown>)[keyA], item]));
      const seen = new Set<unknown>();
      for (const item of a) {
        const id = (item as Record<string, unknown>)[keyA];
        seen.add(id);
        if (!byKey.has(id)) out.push({ path: selector(item), change: 'removed', before: item });
        else walk(item, byKey.get(id), selector(item), names, out);
      }
      for (const item of b) {
        if (!seen.has((item as Record<string, unknown>)[keyA]))
          out.push({ path: selector(item), change: 'added', after: item });
      }
      return;
    }
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const child = `${path}[${i}]`;
      if (i >= b.length) out.push({ path: child, change: 'removed', before: a[i] });
      else if (i >= a.length) out.push({ path: child, change: 'added', after: b[i] });
      else walk(a[i], b[i], child, names, out);
    }
    return;
  }
  out.push({ path, change: 'changed', before: a, after: b });
}
