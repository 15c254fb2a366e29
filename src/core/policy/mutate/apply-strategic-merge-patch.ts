/**
 * Kyverno's `patchStrategicMerge` with anchors, applied to plain data:
 * - `(key): v` conditional: the enclosing map applies only where the object's key matches `v`;
 *   in a list, the anchored item applies to each object item that satisfies it, elsewhere the
 *   whole patch is dropped (the rule is skipped);
 * - `<(key): v` global: when no object item satisfies it, the whole rule is skipped;
 * - `+(key): v` add: only where the key is absent;
 * - `=(key)` equality / `X(key)` negation: the key, when present, must (not) match;
 * - otherwise strategic merge: maps merge, `null` deletes, lists with a merge key (containers by
 *   name...) merge item by item, other lists are replaced; `$patch: delete|replace` directives.
 * Values are matched with the validate-pattern semantics (wildcards, operators).
 */
import { isJsonObject, type JsonObject } from '../kyverno-policy.ts';
import { validatePattern } from '../validate-pattern.ts';
import { isSetList, listMergeKey } from './list-merge-key.ts';

/**
 * Where keyed list items end up: `patch-first` (Kyverno's strategic merge, built on kyaml: the
 * patch's items in patch order, then the object's other items) or `append` (server-side apply:
 * the object's order, new items at the end).
 */
export type ListOrder = 'patch-first' | 'append';

export type MergeOutcome = { ok: true; value: unknown } | { ok: false; global: boolean; reason: string };

type Anchor = 'condition' | 'global' | 'add' | 'equality' | 'negation' | 'plain';

function anchorOf(key: string): { anchor: Anchor; name: string } {
  const m = /^(<|\+|=|X)?\((.+)\)$/.exec(key);
  if (!m) return { anchor: 'plain', name: key };
  const anchor: Anchor =
    m[1] === '<'
      ? 'global'
      : m[1] === '+'
        ? 'add'
        : m[1] === '='
          ? 'equality'
          : m[1] === 'X'
            ? 'negation'
            : 'condition';
  return { anchor, name: m[2]! };
}

/** Whether a pattern holds a condition or global anchor anywhere (such list items apply per object item). */
function hasConditions(pattern: unknown): boolean {
  if (Array.isArray(pattern)) return pattern.some(hasConditions);
  if (!isJsonObject(pattern)) return false;
  return Object.entries(pattern).some(([k, v]) => {
    const { anchor } = anchorOf(k);
    return anchor === 'condition' || anchor === 'global' || hasConditions(v);
  });
}

function hasGlobal(pattern: unknown): boolean {
  if (Array.isArray(pattern)) return pattern.some(hasGlobal);
  if (!isJsonObject(pattern)) return false;
  return Object.entries(pattern).some(([k, v]) => anchorOf(k).anchor === 'global' || hasGlobal(v));
}

function holds(value: unknown, pattern: unknown): boolean {
  if (value === undefined) return false;
  return validatePattern(value, pattern).status === 'pass';
}

function newMap(): JsonObject {
  return Object.create(null) as JsonObject;
}

function set(target: JsonObject, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A plain copy (prototype-free maps) of a patch value with its anchors resolved against nothing. */
function materialize(pattern: unknown, field: string | undefined, order: ListOrder): MergeOutcome {
  if (Array.isArray(pattern)) return mergeList(pattern, undefined, field, order);
  if (isJsonObject(pattern)) return mergeMap(pattern, undefined, order);
  return { ok: true, value: pattern };
}

function mergeValue(pattern: unknown, current: unknown, field: string, order: ListOrder): MergeOutcome {
  if (isJsonObject(pattern)) return mergeMap(pattern, isJsonObject(current) ? current : undefined, order);
  if (Array.isArray(pattern))
    return mergeList(pattern, Array.isArray(current) ? current : undefined, field, order);
  return { ok: true, value: pattern };
}

export function mergeMap(
  pattern: JsonObject,
  current: JsonObject | undefined,
  order: ListOrder = 'append',
): MergeOutcome {
  if (pattern.$patch === 'delete') return { ok: true, value: undefined };
  // Conditions first: they decide whether this map applies at all.
  for (const [key, value] of Object.entries(pattern)) {
    const { anchor, name } = anchorOf(key);
    const present = current !== undefined && Object.hasOwn(current, name) ? current[name] : undefined;
    if (anchor === 'condition' || anchor === 'global') {
      if (!holds(present, value)) {
        return {
          ok: false,
          global: anchor === 'global' || hasGlobal(value),
          reason: `condition ${key} not met`,
        };
      }
    } else if (anchor === 'equality' && present !== undefined && !holds(present, value)) {
      return { ok: false, global: false, reason: `equality anchor ${key} not met` };
    } else if (anchor === 'negation' && present !== undefined) {
      return { ok: false, global: false, reason: `negation anchor ${key} not met` };
    }
  }
  const replace = pattern.$patch === 'replace';
  const out = newMap();
  if (current && !replace) for (const [k, v] of Object.entries(current)) set(out, k, v);
  for (const [key, value] of Object.entries(pattern)) {
    if (key === '$patch') continue;
    const { anchor, name } = anchorOf(key);
    if (anchor === 'equality' || anchor === 'negation') continue;
    if (anchor === 'condition' || anchor === 'global') {
      // A condition on a map value may itself hold patches below it (`(metadata): {labels: ...}`).
      if (isJsonObject(value) && isJsonObject(out[name])) {
        const nested = mergeMap(value, out[name] as JsonObject, order);
        if (!nested.ok) return nested;
        set(out, name, nested.value);
      }
      continue;
    }
    const existing = Object.hasOwn(out, name) ? out[name] : undefined;
    if (anchor === 'add') {
      if (existing === undefined) {
        const added = materialize(value, name, order);
        if (!added.ok) return added;
        set(out, name, added.value);
      } else if (isJsonObject(value) && isJsonObject(existing)) {
        const nested = mergeMap(value, existing, order);
        if (nested.ok) set(out, name, nested.value);
      }
      continue;
    }
    if (value === null) {
      delete out[name];
      continue;
    }
    const merged = mergeValue(value, existing, name, order);
    if (!merged.ok) return merged;
    if (merged.value === undefined) delete out[name];
    else set(out, name, merged.value);
  }
  return { ok: true, value: out };
}

function keyOf(item: unknown, key: string): unknown {
  return isJsonObject(item) ? item[key] : undefined;
}

export function mergeList(
  pattern: unknown[],
  current: unknown[] | undefined,
  field: string | undefined,
  order: ListOrder = 'append',
): MergeOutcome {
  const directive = pattern.find((p) => isJsonObject(p) && p.$patch === 'replace');
  const items = pattern.filter(
    (p) => !(isJsonObject(p) && Object.keys(p).length === 1 && p.$patch === 'replace'),
  );
  const anchored = items.filter((p) => isJsonObject(p) && hasConditions(p)) as JsonObject[];
  const plain = items.filter((p) => !anchored.includes(p as JsonObject));
  let out: unknown[] = directive ? [] : [...(current ?? [])];
  for (const item of anchored) {
    let applied = false;
    let lastReason = `no item of ${field ?? 'the list'} satisfies the conditions`;
    out = out.map((existing) => {
      if (!isJsonObject(existing)) return existing;
      const merged = mergeMap(item, existing, order);
      if (!merged.ok) {
        lastReason = merged.reason;
        return existing;
      }
      applied = true;
      return merged.value;
    });
    if (!applied && hasGlobal(item)) return { ok: false, global: true, reason: lastReason };
  }
  if (plain.length === 0) return { ok: true, value: out };
  const key = listMergeKey(field, plain);
  const mergeable = key && plain.every((p) => keyOf(p, key) !== undefined);
  if (!mergeable) {
    if (isSetList(field) && plain.every((p) => !isJsonObject(p))) {
      for (const p of plain) if (!out.some((x) => x === p)) out.push(p);
      return { ok: true, value: out };
    }
    const replaced: unknown[] = [];
    for (const p of plain) {
      const m = materialize(p, undefined, order);
      if (!m.ok) return m;
      replaced.push(m.value);
    }
    return { ok: true, value: anchored.length > 0 ? [...out, ...replaced] : replaced };
  }
  const first: unknown[] = [];
  for (const p of plain) {
    const id = keyOf(p, key);
    const at = out.findIndex((x) => keyOf(x, key) === id);
    if (isJsonObject(p) && p.$patch === 'delete') {
      if (at >= 0) out.splice(at, 1);
      continue;
    }
    const merged = mergeValue(p, at >= 0 ? out[at] : undefined, '', order);
    if (!merged.ok) return merged;
    if (order === 'patch-first') {
      if (at >= 0) out.splice(at, 1);
      first.push(merged.value);
    } else if (at >= 0) out[at] = merged.value;
    else out.push(merged.value);
  }
  return { ok: true, value: [...first, ...out] };
}

/** Applies a patchStrategicMerge (anchors included) to an object; `ok: false` means the rule is skipped. */
export function applyStrategicMergePatch(object: JsonObject, patch: unknown): MergeOutcome {
  if (!isJsonObject(patch)) return { ok: false, global: true, reason: 'patchStrategicMerge must be a map' };
  return mergeMap(patch, object, 'patch-first');
}
