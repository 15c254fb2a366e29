import type { PathSegment } from '../manifests/parse-manifests.ts';
import { matchScalarPattern } from './compare-pattern-value.ts';
import { isJsonObject, type JsonObject } from './kyverno-policy.ts';
import { hasWildcard, matchWildcard } from './match-wildcard.ts';

export type PatternOutcome =
  | { status: 'pass' }
  | { status: 'fail'; path: PathSegment[]; message: string }
  /** A conditional anchor did not hold (`global`: a `<()` anchor, which skips the whole rule). */
  | { status: 'skip'; path: PathSegment[]; message: string; global?: boolean };

const PASS: PatternOutcome = { status: 'pass' };

type AnchorKind = 'conditional' | 'global' | 'equality' | 'negation' | 'existence' | 'plain';

function parseKey(key: string): { kind: AnchorKind; name: string } {
  const m = /^(<|=|X|\^|\+)?\((.+)\)$/.exec(key);
  if (!m) return { kind: 'plain', name: key };
  const name = m[2]!;
  switch (m[1]) {
    case '<':
      return { kind: 'global', name };
    case '=':
      return { kind: 'equality', name };
    case 'X':
      return { kind: 'negation', name };
    case '^':
      return { kind: 'existence', name };
    case '+':
      return { kind: 'equality', name };
    default:
      return { kind: 'conditional', name };
  }
}

function fmt(path: PathSegment[]): string {
  return `/${path.join('/')}${path.length ? '/' : ''}`;
}

function fail(list: PathList, message: string): PatternOutcome {
  const path = toArray(list);
  return { status: 'fail', path, message: `${message} at path ${fmt(path)}` };
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
  if (Array.isArray(value) && pattern !== null && typeof pattern !== 'object') {
    // A scalar pattern against a list applies to every item (Kyverno).
    for (let i = 0; i < value.length; i++) {
      const r = validateElement(value[i], pattern, cons(path, i));
      if (r.status !== 'pass') return r;
    }
    return PASS;
  }
  if (matchScalarPattern(value, pattern)) return PASS;
  if (value === undefined) return fail(path, `field is missing (expected ${JSON.stringify(pattern)})`);
  return fail(path, `value ${JSON.stringify(value)} does not match ${JSON.stringify(pattern)}`);
}

function validateArray(value: unknown[], pattern: unknown[], path: PathList): PatternOutcome {
  if (pattern.length === 0) return PASS;
  const first = pattern[0];
  if (isJsonObject(first)) {
    let applied = 0;
    let skipped: PatternOutcome | undefined;
    for (let i = 0; i < value.length; i++) {
      const r = validateElement(value[i], first, cons(path, i));
      if (r.status === 'fail') return r;
      if (r.status === 'skip') {
        if (r.global) return r;
        skipped = r;
        continue;
      }
      applied++;
    }
    if (applied === 0 && skipped) return skipped;
    return PASS;
  }
  if (pattern.length > value.length) {
    return fail(path, `expected at least ${pattern.length} items, found ${value.length}`);
  }
  for (let i = 0; i < pattern.length; i++) {
    const r = validateElement(value[i], pattern[i], cons(path, i));
    if (r.status !== 'pass') return r;
  }
  return PASS;
}

type Entry = { kind: AnchorKind; name: string; pattern: unknown; wildcard: boolean };
const parsedPatterns = new WeakMap<
  JsonObject,
  { entries: Entry[]; hasWildcard: boolean; hasConditional: boolean }
>();

function parsePattern(pattern: JsonObject) {
  let parsed = parsedPatterns.get(pattern);
  if (!parsed) {
    const entries = Object.entries(pattern).map(([key, p]) => {
      const k = parseKey(key);
      return { ...k, pattern: p, wildcard: hasWildcard(k.name) };
    });
    parsed = {
      entries,
      hasWildcard: entries.some((e) => e.wildcard),
      hasConditional: entries.some((e) => e.kind === 'conditional' || e.kind === 'global'),
    };
    parsedPatterns.set(pattern, parsed);
  }
  return parsed;
}

/** Pattern keys with wildcards stand for every resource key they match (or for themselves when none). */
function expandEntries(
  value: JsonObject,
  pattern: JsonObject,
): { entries: Entry[]; hasConditional: boolean } {
  const parsed = parsePattern(pattern);
  if (!parsed.hasWildcard) return parsed;
  const entries: Entry[] = [];
  for (const parsedEntry of parsed.entries) {
    const p = parsedEntry.pattern;
    if (parsedEntry.wildcard && !Object.hasOwn(value, parsedEntry.name)) {
      const parsed = parsedEntry;
      const keys = Object.keys(value).filter((k) => matchWildcard(parsed.name, k));
      if (keys.length > 0) {
        for (const k of keys) entries.push({ kind: parsed.kind, name: k, pattern: p, wildcard: false });
        continue;
      }
    }
    entries.push(parsedEntry);
  }
  return { entries, hasConditional: parsed.hasConditional };
}

function validateMap(value: JsonObject, pattern: JsonObject, path: PathList): PatternOutcome {
  const { entries, hasConditional } = expandEntries(value, pattern);
  // Conditional and global anchors decide first whether the map applies at all.
  for (const e of hasConditional ? entries : []) {
    if (e.kind !== 'conditional' && e.kind !== 'global') continue;
    const r = Object.hasOwn(value, e.name)
      ? validateElement(value[e.name], e.pattern, cons(path, e.name))
      : fail(cons(path, e.name), 'field is missing');
    if (r.status !== 'pass') {
      return {
        status: 'skip',
        path: toArray(cons(path, e.name)),
        message: `conditional anchor (${e.name}) not satisfied at path ${fmt(toArray(cons(path, e.name)))}`,
        global: e.kind === 'global' || (r.status === 'skip' && r.global) || undefined,
      };
    }
  }
  for (const e of entries) {
    const childPath = cons(path, e.name);
    switch (e.kind) {
      case 'conditional':
      case 'global':
        break;
      case 'negation':
        if (Object.hasOwn(value, e.name)) return fail(childPath, `field ${e.name} is not allowed`);
        break;
      case 'equality': {
        if (!Object.hasOwn(value, e.name)) break;
        const r = validateElement(value[e.name], e.pattern, childPath);
        if (r.status !== 'pass') return r;
        break;
      }
      case 'existence': {
        const list = value[e.name];
        if (!Array.isArray(list)) return fail(childPath, `field ${e.name} must be a list`);
        const want = Array.isArray(e.pattern) ? e.pattern[0] : e.pattern;
        if (!list.some((item, i) => validateElement(item, want, cons(childPath, i)).status === 'pass')) {
          return fail(childPath, `no element of ${e.name} matches`);
        }
        break;
      }
      default: {
        const r = validateElement(value[e.name], e.pattern, childPath);
        if (r.status !== 'pass') return r;
      }
    }
  }
  return PASS;
}

/** Kyverno `validate.pattern` semantics with all anchors; path of the failing field in the resource. */
export function validatePattern(resource: unknown, pattern: unknown): PatternOutcome {
  return validateElement(resource, pattern, null);
}
