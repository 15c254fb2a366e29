/**
 * Kyverno `validate.pattern` semantics (pkg/engine/validate): anchors of a map are evaluated first
 * in key order (conditional `()`, equality `=()`, negation `X()`, existence `^()`), then the other
 * keys (global anchors `<()` first, then keys whose subtree holds anchors, then the rest). A failed
 * conditional or global anchor makes the enclosing element "skip"; in a list of maps skipped
 * elements are ignored, and a list whose elements all skip skips in turn.
 */
import type { PathSegment } from '../manifests/parse-manifests.ts';
import { readOwn } from '../safe-keys/read-own.ts';
import { matchScalarPattern } from './compare-pattern-value.ts';
import { isJsonObject, type JsonObject } from './kyverno-policy.ts';
import { hasWildcard, matchWildcard } from './match-wildcard.ts';

export type PatternOutcome =
  | { status: 'pass' }
  | { status: 'fail'; path: PathSegment[]; message: string }
  /** A conditional anchor did not hold (`global`: a `<()` anchor was involved). */
  | { status: 'skip'; path: PathSegment[]; message: string; global?: boolean };

const PASS: PatternOutcome = { status: 'pass' };

type AnchorKind = 'conditional' | 'global' | 'equality' | 'negation' | 'existence' | 'add' | 'plain';

function parseKey(key: string): { kind: AnchorKind; name: string } {
  const m = /^(<|=|X|\^|\+)?\((.+)\)$/.exec(key);
  if (!m) return { kind: 'plain', name: key };
  const name = m[2]!;
  const kinds: Record<string, AnchorKind> = {
    '<': 'global',
    '=': 'equality',
    X: 'negation',
    '^': 'existence',
    '+': 'add',
  };
  return { kind: m[1] ? kinds[m[1]]! : 'conditional', name };
}

/** Persistent path (shares its parent) so that walking a resource allocates little. */
type PathList = { parent: PathList; segment: PathSegment } | null;

function cons(parent: PathList, segment: PathSegment): PathList {
  return { parent, segment };
}

function toArray(list: PathList): PathSegment[] {
  const out: PathSegment[] = [];
  for (let n = list; n; n = n.parent) out.push(n.segment);
  return out.reverse();
}

function fmt(path: PathSegment[]): string {
  return `/${path.join('/')}${path.length ? '/' : ''}`;
}

function fail(list: PathList, message: string): PatternOutcome {
  const path = toArray(list);
  return { status: 'fail', path, message: `${message} at path ${fmt(path)}` };
}

function asSkip(r: PatternOutcome, path: PathList, global: boolean): PatternOutcome {
  if (r.status === 'pass') return r;
  const p = r.status === 'fail' ? r.path : toArray(path);
  const message = `${global ? 'global' : 'conditional'} anchor mismatch: ${r.message}`;
  return {
    status: 'skip',
    path: p,
    message,
    ...(global || (r.status === 'skip' && r.global) ? { global: true } : {}),
  };
}

function validateElement(value: unknown, pattern: unknown, path: PathList): PatternOutcome {
  if (isJsonObject(pattern)) {
    if (!isJsonObject(value)) {
      return fail(path, value === undefined || value === null ? 'field is missing' : 'expected an object');
    }
    return validateMap(value, pattern, path);
  }
  if (Array.isArray(pattern)) {
    if (!Array.isArray(value))
      return fail(path, value === undefined ? 'field is missing' : 'expected a list');
    return validateArray(value, pattern, path);
  }
  if (Array.isArray(value)) {
    // A scalar pattern against a list applies to every item.
    for (let i = 0; i < value.length; i++) {
      if (!matchScalarPattern(value[i], pattern)) {
        return fail(
          cons(path, i),
          `value ${JSON.stringify(value[i])} does not match ${JSON.stringify(pattern)}`,
        );
      }
    }
    return PASS;
  }
  if (matchScalarPattern(value, pattern)) return PASS;
  if (value === undefined) return fail(path, `field is missing (expected ${JSON.stringify(pattern)})`);
  return fail(path, `value ${JSON.stringify(value)} does not match ${JSON.stringify(pattern)}`);
}

function validateArray(value: unknown[], pattern: unknown[], path: PathList): PatternOutcome {
  if (pattern.length === 0) return fail(path, 'pattern list is empty');
  const first = pattern[0];
  if (isJsonObject(first)) {
    // Every element must match the map; elements whose conditional anchors do not hold are ignored.
    let applied = 0;
    let skipped: PatternOutcome | undefined;
    for (let i = 0; i < value.length; i++) {
      const r = validateElement(value[i], first, cons(path, i));
      if (r.status === 'fail') return r;
      if (r.status === 'skip') {
        skipped = skipped && skipped.status === 'skip' && skipped.global ? skipped : r;
        continue;
      }
      applied++;
    }
    return applied === 0 && skipped ? skipped : PASS;
  }
  if (!Array.isArray(first)) return validateElement(value, first, path); // every item against the scalar
  if (value.length < pattern.length) {
    return fail(path, `expected at least ${pattern.length} items, found ${value.length}`);
  }
  let applied = 0;
  let skipped: PatternOutcome | undefined;
  for (let i = 0; i < pattern.length; i++) {
    const r = validateElement(value[i], pattern[i], cons(path, i));
    if (r.status === 'fail') return r;
    if (r.status === 'skip') skipped = r;
    else applied++;
  }
  return applied === 0 && skipped ? skipped : PASS;
}

type Entry = { key: string; kind: AnchorKind; name: string; pattern: unknown };

function hasNestedAnchors(pattern: unknown): boolean {
  if (isJsonObject(pattern)) {
    return Object.entries(pattern).some(([k, v]) => parseKey(k).kind !== 'plain' || hasNestedAnchors(v));
  }
  return Array.isArray(pattern) && pattern.some(hasNestedAnchors);
}

const ANCHOR_KINDS = new Set<AnchorKind>(['conditional', 'equality', 'negation', 'existence']);
const ordered = new WeakMap<JsonObject, Entry[]>();

/** Kyverno's evaluation order of a pattern map's keys. */
function orderedEntries(pattern: JsonObject): Entry[] {
  let entries = ordered.get(pattern);
  if (!entries) {
    const all = Object.entries(pattern).map(([key, p]) => ({ key, ...parseKey(key), pattern: p }));
    const anchors = all
      .filter((e) => ANCHOR_KINDS.has(e.kind))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const rest = all.filter((e) => !ANCHOR_KINDS.has(e.kind));
    const globals = rest.filter((e) => e.kind === 'global');
    const nested = rest.filter((e) => e.kind !== 'global' && hasNestedAnchors(e.pattern));
    const plain = rest.filter((e) => e.kind !== 'global' && !hasNestedAnchors(e.pattern));
    entries = [...anchors, ...globals, ...nested, ...plain];
    ordered.set(pattern, entries);
  }
  return entries;
}

/**
 * Wildcard keys are expanded only in `metadata.labels` / `metadata.annotations` (Kyverno's
 * ExpandInMetadata): each stands for a resource key it matches, or stays literal when none does.
 */
function expandMetadata(value: JsonObject, pattern: JsonObject): JsonObject {
  const metaKey = Object.keys(pattern).find((k) => parseKey(k).name === 'metadata');
  const patternMeta = metaKey === undefined ? undefined : pattern[metaKey];
  const resourceMeta = readOwn(value, 'metadata');
  if (!isJsonObject(patternMeta) || !isJsonObject(resourceMeta)) return pattern;
  let newMeta: JsonObject | undefined;
  for (const tag of ['labels', 'annotations']) {
    const tagKey = Object.keys(patternMeta).find((k) => parseKey(k).name === tag);
    const patternTag = tagKey === undefined ? undefined : patternMeta[tagKey];
    const resourceTag = readOwn(resourceMeta, tag);
    if (!isJsonObject(patternTag) || !isJsonObject(resourceTag)) continue;
    if (!Object.keys(patternTag).some((k) => hasWildcard(parseKey(k).name))) continue;
    const expanded: JsonObject = {};
    for (const [k, v] of Object.entries(patternTag)) {
      const { kind, name } = parseKey(k);
      if (!hasWildcard(name)) {
        expanded[k] = v;
        continue;
      }
      const match = Object.keys(resourceTag).find((rk) => matchWildcard(name, rk)) ?? name;
      expanded[kind === 'plain' ? match : k.replace(name, match)] = v;
    }
    newMeta = { ...(newMeta ?? patternMeta), [tagKey!]: expanded };
  }
  return newMeta ? { ...pattern, [metaKey!]: newMeta } : pattern;
}

function validateAnchor(value: JsonObject, e: Entry, path: PathList): PatternOutcome {
  const childPath = cons(path, e.name);
  const present = Object.hasOwn(value, e.name);
  switch (e.kind) {
    case 'conditional': {
      if (!present) {
        return {
          status: 'skip',
          path: toArray(childPath),
          message: `conditional anchor key ${e.name} doesn't exist in the resource`,
        };
      }
      return asSkip(validateElement(readOwn(value, e.name), e.pattern, childPath), childPath, false);
    }
    case 'global':
      return present
        ? asSkip(validateElement(readOwn(value, e.name), e.pattern, childPath), childPath, true)
        : PASS;
    case 'equality':
      return present ? validateElement(readOwn(value, e.name), e.pattern, childPath) : PASS;
    case 'negation':
      return present ? fail(childPath, `field ${e.name} is not allowed`) : PASS;
    case 'existence': {
      if (!present) return PASS;
      const list = value[e.name];
      if (!Array.isArray(list)) return fail(childPath, `existence anchor ${e.name} needs a list`);
      if (!Array.isArray(e.pattern)) return fail(childPath, 'existence anchor pattern must be a list');
      for (const want of e.pattern) {
        if (!isJsonObject(want)) return fail(childPath, 'existence anchor pattern must be a list of maps');
        const found = list.some(
          (item, i) => validateElement(item, want, cons(childPath, i)).status === 'pass',
        );
        if (!found) return fail(childPath, `no element of ${e.name} matches`);
      }
      return PASS;
    }
    default: {
      // plain keys (and `+()`, which validation treats as a literal key)
      const name = e.kind === 'plain' ? e.name : e.key;
      const child = readOwn(value, name);
      if (e.pattern === '*')
        return child === undefined || child === null ? fail(cons(path, name), 'field is missing') : PASS;
      return validateElement(child, e.pattern, cons(path, name));
    }
  }
}

function validateMap(value: JsonObject, pattern: JsonObject, path: PathList): PatternOutcome {
  for (const e of orderedEntries(expandMetadata(value, pattern))) {
    const r = validateAnchor(value, e, path);
    if (r.status !== 'pass') return r;
  }
  return PASS;
}

/** Kyverno `validate.pattern` semantics with all anchors; path of the failing field in the resource. */
export function validatePattern(resource: unknown, pattern: unknown): PatternOutcome {
  return validateElement(resource, pattern, null);
}
