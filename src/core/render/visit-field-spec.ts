import { splitApiVersion } from '../manifests/resource-identity.ts';
import { isUnsafeKey } from '../safe-keys/is-unsafe-key.ts';
import { readOwn } from '../safe-keys/read-own.ts';
import { isPlainObject } from './apply-strategic-merge-patch.ts';

type JsonObject = Record<string, unknown>;

/**
 * A kustomize `fieldSpec`: which kinds (group/version/kind, empty = any) and which field, as a
 * `/`-separated path (`\/` escapes a slash inside a key; `[]` marks a list, and lists met on the
 * way are walked item by item anyway, as kustomize does). `create` makes missing maps on the way.
 */
export interface FieldSpec {
  group?: string;
  version?: string;
  kind?: string;
  path: string;
  create?: boolean;
}

/** True when the fieldSpec applies to an object of that apiVersion and kind. */
export function fieldSpecApplies(spec: FieldSpec, object: JsonObject): boolean {
  if (spec.kind && spec.kind !== object.kind) return false;
  if (spec.group === undefined && spec.version === undefined) return true;
  const { group, version } = splitApiVersion(String(object.apiVersion ?? ''));
  return (!spec.group || spec.group === group) && (!spec.version || spec.version === version);
}

/** `a/b\/c/d[]` → `['a', 'b/c', 'd']` (`d[]` kept with `keepListMarkers`, for visitFieldSpec). */
export function splitFieldSpecPath(path: string, keepListMarkers = false): string[] {
  const out: string[] = [];
  let current = '';
  for (let i = 0; i < path.length; i++) {
    const c = path[i]!;
    if (c === '\\' && path[i + 1] === '/') {
      current += '/';
      i++;
    } else if (c === '/') {
      out.push(current);
      current = '';
    } else current += c;
  }
  out.push(current);
  return out.map((s) => (s.endsWith('[]') && !keepListMarkers ? s.slice(0, -2) : s)).filter((s) => s !== '');
}

/**
 * Calls `visit(holder, key)` for every place the path reaches in the object (several when it
 * crosses lists); the field itself may be absent unless `create` made it. A segment marked as a
 * list (`volumeClaimTemplates[]`) is never created: kustomize does not invent a list to label its
 * items. Returns nothing: the visitor edits `holder[key]` in place. A path with a `__proto__`,
 * `constructor` or `prototype` segment reaches nothing (callers that read paths from input report it).
 */
export function visitFieldSpec(
  object: JsonObject,
  path: readonly string[],
  create: boolean,
  visit: (holder: JsonObject, key: string) => void,
): void {
  const walk = (node: unknown, i: number) => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item, i);
      return;
    }
    if (!isPlainObject(node)) return;
    const segment = path[i]!;
    const isList = segment.endsWith('[]');
    const key = isList ? segment.slice(0, -2) : segment;
    if (i === path.length - 1) {
      if (Object.hasOwn(node, key) || create) visit(node, key);
      return;
    }
    let next = readOwn(node, key);
    if (next === undefined || next === null) {
      if (!create || isList) return;
      next = {};
      node[key] = next;
    }
    walk(next, i + 1);
  };
  if (path.length > 0 && !path.some(isUnsafeKey)) walk(object, 0);
}
