import { compileUntrustedRegex } from '../regex/compile-untrusted-regex.ts';
import type { Scope, ScopedMatch } from './index-scoped-matches.ts';
import type { HttpMatch, ValueMatch } from './normalize-route-match.ts';
import { makeRouteFinding, type RouteFinding } from './route-finding.ts';

/**
 * Whether the route's regex (RE2, as Gateway API controllers take it; linear time) matches the
 * whole value; false for a pattern RE2 rejects (normalizeRouteMatch reports those).
 */
export function regexFullMatches(pattern: string, value: string): boolean {
  const compiled = compileUntrustedRegex(pattern);
  return compiled.ok && compiled.regex.matchesWhole(value);
}

/**
 * The literal text every match of the regex starts with: `/coffee/v[0-9]+` -> `/coffee/v`. A character
 * followed by an optional quantifier is dropped; a top-level alternation yields `''`.
 */
export function regexLiteralPrefix(pattern: string): string {
  const s = pattern.startsWith('^') ? pattern.slice(1) : pattern;
  if (hasTopLevelAlternation(s)) return '';
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    let literal: string;
    if (c === '\\') {
      const next = s[i + 1];
      if (next === undefined || /[A-Za-z0-9]/.test(next)) return out; // \d, \w, \b...: a class
      literal = next;
      i++;
    } else if ('.[]()|?*+{}^$'.includes(c)) {
      return '?*{'.includes(c) ? out.slice(0, -1) : out;
    } else {
      literal = c;
    }
    const after = s[i + 1];
    if (after !== undefined && '?*{'.includes(after)) return out;
    out += literal;
  }
  return out;
}

function hasTopLevelAlternation(s: string): boolean {
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) return true;
  }
  return false;
}

function valueMatchesCompatible(a: readonly ValueMatch[], b: readonly ValueMatch[]): boolean {
  const byName = new Map(b.map((m) => [m.name, m]));
  for (const x of a) {
    const y = byName.get(x.name);
    if (!y) continue;
    if (x.type === 'Exact' && y.type === 'Exact' && x.value !== y.value) return false;
    if (x.type === 'Exact' && y.type === 'RegularExpression' && !regexFullMatches(y.value, x.value))
      return false;
    if (y.type === 'Exact' && x.type === 'RegularExpression' && !regexFullMatches(x.value, y.value))
      return false;
  }
  return true;
}

/** Some request can satisfy both matches' method, header and query constraints. */
export function constraintsCompatible(a: HttpMatch, b: HttpMatch): boolean {
  if (a.method && b.method && a.method !== b.method) return false;
  return valueMatchesCompatible(a.headers, b.headers) && valueMatchesCompatible(a.queryParams, b.queryParams);
}

/** Whether regex path R can match a path that Exact/PathPrefix `other` accepts. */
export function regexOverlapsPath(regex: string, other: HttpMatch): boolean {
  if (regexFullMatches(regex, other.path)) return true;
  if (other.pathType !== 'PathPrefix') return false;
  const prefix = regexLiteralPrefix(regex);
  const below = `${other.path}/`;
  return prefix.startsWith(below) || below.startsWith(prefix);
}

/**
 * Within each scope, a RegularExpression path against Exact/PathPrefix paths (PathPrefix `/` is the
 * intended fallback and skipped) of other Routes. Regex precedence is implementation-specific, so
 * the overlap is a warning. One finding per pair of Routes.
 */
/** Plain (Exact/PathPrefix) matches of one scope, sorted by path for prefix range look-ups. */
class PlainPathIndex {
  private readonly sorted: ScopedMatch[];
  private readonly byPath = new Map<string, ScopedMatch[]>();

  constructor(entries: ScopedMatch[]) {
    this.sorted = [...entries].sort((a, b) => compareStrings(a.match.http!.path, b.match.http!.path));
    for (const e of entries) {
      const list = this.byPath.get(e.match.http!.path);
      if (list) list.push(e);
      else this.byPath.set(e.match.http!.path, [e]);
    }
  }

  /**
   * Every entry a regex with literal prefix L could overlap: paths starting with L (whatever the
   * regex matches starts with L), and PathPrefix paths v with `v/` a prefix of L.
   */
  candidates(literalPrefix: string): ScopedMatch[] {
    const out: ScopedMatch[] = [];
    let lo = 0;
    let hi = this.sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareStrings(this.sorted[mid]!.match.http!.path, literalPrefix) < 0) lo = mid + 1;
      else hi = mid;
    }
    for (
      let i = lo;
      i < this.sorted.length && this.sorted[i]!.match.http!.path.startsWith(literalPrefix);
      i++
    ) {
      out.push(this.sorted[i]!);
    }
    for (let i = literalPrefix.indexOf('/', 1); i > 0; i = literalPrefix.indexOf('/', i + 1)) {
      for (const e of this.byPath.get(literalPrefix.slice(0, i)) ?? []) {
        if (e.match.http!.pathType === 'PathPrefix') out.push(e);
      }
    }
    return out;
  }
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Within each scope, a RegularExpression path against Exact/PathPrefix paths (PathPrefix `/` is the
 * intended fallback and skipped) of other Routes. Regex precedence is implementation-specific, so
 * the overlap is a warning. One finding per pair of Routes. Candidates come from a sorted index of
 * the scope's plain paths, so a regex is compared only with paths that share its literal prefix.
 */
export function findRegexPathOverlaps(scopes: Iterable<Scope>): RouteFinding[] {
  const findings: RouteFinding[] = [];
  const seen = new Set<string>();
  for (const scope of scopes) {
    const regexes: ScopedMatch[] = [];
    const plain: ScopedMatch[] = [];
    for (const e of scope.entries) {
      const http = e.match.http;
      if (!http) continue;
      if (http.pathType === 'RegularExpression') regexes.push(e);
      else if (http.pathType === 'Exact' || (http.pathType === 'PathPrefix' && http.path !== '/'))
        plain.push(e);
    }
    if (regexes.length === 0 || plain.length === 0) continue;
    const index = new PlainPathIndex(plain);
    for (const r of regexes) {
      const rm = r.match.http!;
      const ra = r.attachment.route;
      for (const p of index.candidates(regexLiteralPrefix(rm.path))) {
        const pa = p.attachment.route;
        if (ra.id === pa.id) continue;
        const pairKey = ra.id < pa.id ? `${ra.id}|${pa.id}` : `${pa.id}|${ra.id}`;
        if (seen.has(pairKey)) continue;
        const pm = p.match.http!;
        if (!constraintsCompatible(rm, pm) || !regexOverlapsPath(rm.path, pm)) continue;
        seen.add(pairKey);
        const host = scope.hostname || '<any host>';
        findings.push(
          makeRouteFinding(
            'regex-path-overlap',
            [ra.id, pa.id],
            `On ${host}, the regular expression ${rm.path} (rule ${r.rule.index + 1} of ${ra.id}) also matches paths that ${pm.pathType} ${pm.path} (rule ${p.rule.index + 1} of ${pa.id}) accepts; which of the two receives them depends on the implementation (an NGINX regex location beats a plain prefix).`,
            [r.match.location, p.match.location],
          ),
        );
      }
    }
  }
  return findings;
}
