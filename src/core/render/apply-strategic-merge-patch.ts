import { readOwn } from '../safe-keys/read-own.ts';
import { findListMergeKey } from './find-list-merge-key.ts';

type Json = unknown;
type JsonObject = Record<string, unknown>;

export function isPlainObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** A deep copy of JSON-compatible data. */
export function cloneJson<T>(value: T): T {
  return value === undefined ? value : (structuredClone(value) as T);
}

/**
 * Applies a strategic merge patch as kustomize does (kyaml's merge, checked against `kubectl
 * kustomize`; returns a new object, the input is not modified). Maps merge recursively and `null`
 * deletes a key; lists with a merge key (containers by `name`, ports by `containerPort`...) merge
 * item by item, and items the target does not have come FIRST, in the patch's order (kustomize
 * prepends them, which matters for `$(VAR)` expansion in env lists); other lists are replaced.
 * `$patch: replace|delete` (maps and list items) is a directive; kyaml knows no other, so
 * `$setElementOrder/...`, `$retainKeys` and `$deleteFromPrimitiveList/...` stay in the object as
 * plain fields, exactly as kustomize leaves them. Returns undefined when the patch deletes the
 * whole object (`$patch: delete` at the top).
 */
export function applyStrategicMergePatch(target: JsonObject, patch: JsonObject): JsonObject | undefined {
  return mergeMap(target, patch, []);
}

function mergeMap(target: JsonObject, patch: JsonObject, path: string[]): JsonObject | undefined {
  const directive = patch.$patch;
  if (directive === 'delete') return undefined;
  if (directive === 'replace') return stripDirectives(patch) as JsonObject;
  const out: JsonObject = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch') continue;
    // Parsers drop `__proto__` keys; one in data built otherwise is never written (it would set a prototype).
    if (key === '__proto__') continue;
    if (value === null) {
      delete out[key];
      continue;
    }
    const current = readOwn(out, key);
    if (isPlainObject(value) && isPlainObject(current)) {
      const merged = mergeMap(current, value, [...path, key]);
      if (merged === undefined) delete out[key];
      else out[key] = merged;
    } else if (Array.isArray(value) && Array.isArray(current)) {
      out[key] = mergeList(current, value, [...path, key]);
    } else {
      out[key] = stripDirectives(value);
    }
  }
  return out;
}

function mergeList(target: Json[], patch: Json[], path: string[]): Json[] {
  const key = findListMergeKey(path, [...target, ...patch], { generic: false });
  const replaceDirective = patch.find(
    (p) => isPlainObject(p) && p.$patch === 'replace' && Object.keys(p).length === 1,
  );
  if (replaceDirective) return patch.filter((p) => p !== replaceDirective).map(stripDirectives);
  if (!key || !target.every(isPlainObject) || !patch.every(isPlainObject)) return patch.map(stripDirectives);
  const out = [...target] as JsonObject[];
  const added: JsonObject[] = [];
  for (const item of patch as JsonObject[]) {
    const id = item[key];
    const index = id === undefined ? -1 : out.findIndex((t) => t[key] === id);
    if (item.$patch === 'delete') {
      if (index >= 0) out.splice(index, 1);
      continue;
    }
    if (index >= 0) {
      const merged = mergeMap(out[index]!, item, path);
      if (merged === undefined) out.splice(index, 1);
      else out[index] = merged;
    } else {
      added.push(stripDirectives(item) as JsonObject);
    }
  }
  return [...added, ...out];
}

function stripDirectives(value: Json): Json {
  if (Array.isArray(value)) return value.map(stripDirectives);
  if (!isPlainObject(value)) return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === '$patch' || k === '__proto__') continue;
    out[k] = stripDirectives(v);
  }
  return out;
}
