import { type JSONValue, register, TYPE_ANY, TYPE_ARRAY } from '@jmespath-community/jmespath';
import { parsePlainYaml } from '../manifests/parse-plain-yaml.ts';
import { compileUntrustedRegex, type UntrustedRegex } from '../regex/compile-untrusted-regex.ts';
import { dropUnsafeKeys } from '../safe-keys/drop-unsafe-keys.ts';
import { readOwn } from '../safe-keys/read-own.ts';
import { compareSemver } from './compare-semver.ts';
import { formatDuration, kyvernoArithmetic } from './kyverno-arithmetic.ts';
import { EXTRA_FUNCTIONS } from './kyverno-extra-functions.ts';
import { matchLabelSelector } from './match-label-selector.ts';
import { matchWildcard } from './match-wildcard.ts';
import { parseGoTime } from './parse-go-time.ts';
import { parseDuration } from './parse-quantity.ts';

type Fn = (args: JSONValue[]) => JSONValue;

/** Own-property field access; evaluateJmespath rewrites fields named like Object.prototype members into it. */
export const OWN_FIELD_FUNCTION = 'tollgate_own_field';

/** What a parser returned, without `__proto__` keys. */
function parsed(value: unknown): JSONValue {
  dropUnsafeKeys(value);
  return value as JSONValue;
}

function str(value: unknown, fn: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Error(`${fn}: expected a string, got ${JSON.stringify(value)}`);
}

/** A policy's pattern, compiled as Go's regexp (RE2) does, on a linear-time engine; invalid: an error. */
function regex(source: unknown, fn: string): UntrustedRegex {
  const compiled = compileUntrustedRegex(str(source, fn));
  if (!compiled.ok) throw new Error(`${fn}: ${JSON.stringify(source)} is ${compiled.error}`);
  return compiled.regex;
}

function toTime(value: unknown, fn: string): Date {
  const d = new Date(str(value, fn));
  if (Number.isNaN(d.getTime())) throw new Error(`${fn}: invalid time ${JSON.stringify(value)}`);
  return d;
}

function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.000Z$/, 'Z');
}

const FUNCTIONS: Record<string, { fn: Fn; arity: number; variadic?: boolean; types?: number[] }> = {
  compare: { arity: 2, fn: ([a, b]) => (str(a, 'compare') < str(b, 'compare') ? -1 : a === b ? 0 : 1) },
  equal_fold: {
    arity: 2,
    fn: ([a, b]) => str(a, 'equal_fold').toLowerCase() === str(b, 'equal_fold').toLowerCase(),
  },
  replace: {
    arity: 4,
    fn: ([s, o, n, c]) => {
      let out = str(s, 'replace');
      const count = Number(c);
      if (count < 0) return out.split(str(o, 'replace')).join(str(n, 'replace'));
      for (let i = 0; i < count; i++) out = out.replace(str(o, 'replace'), str(n, 'replace'));
      return out;
    },
  },
  replace_all: {
    arity: 3,
    fn: ([s, o, n]) => str(s, 'replace_all').split(str(o, 'replace_all')).join(str(n, 'replace_all')),
  },
  to_upper: { arity: 1, fn: ([s]) => str(s, 'to_upper').toUpperCase() },
  to_lower: { arity: 1, fn: ([s]) => str(s, 'to_lower').toLowerCase() },
  trim: {
    arity: 2,
    fn: ([s, cut]) => {
      const set = new Set(str(cut, 'trim'));
      const v = str(s, 'trim');
      let a = 0;
      let b = v.length;
      while (a < b && set.has(v[a]!)) a++;
      while (b > a && set.has(v[b - 1]!)) b--;
      return v.slice(a, b);
    },
  },
  trim_prefix: {
    arity: 2,
    fn: ([s, p]) => {
      const v = str(s, 'trim_prefix');
      const prefix = str(p, 'trim_prefix');
      return v.startsWith(prefix) ? v.slice(prefix.length) : v;
    },
  },
  split: { arity: 2, fn: ([s, sep]) => str(s, 'split').split(str(sep, 'split')) },
  regex_replace_all: {
    arity: 3,
    fn: ([re, s, r]) =>
      regex(re, 'regex_replace_all').replaceAll(str(s, 'regex_replace_all'), str(r, 'regex_replace_all')),
  },
  regex_replace_all_literal: {
    arity: 3,
    fn: ([re, s, r]) =>
      regex(re, 'regex_replace_all_literal').replaceAll(
        str(s, 'regex_replace_all_literal'),
        str(r, 'regex_replace_all_literal'),
        true,
      ),
  },
  regex_match: { arity: 2, fn: ([re, s]) => regex(re, 'regex_match').test(str(s, 'regex_match')) },
  pattern_match: {
    arity: 2,
    fn: ([p, s]) => matchWildcard(str(p, 'pattern_match'), str(s, 'pattern_match')),
  },
  label_match: {
    arity: 2,
    fn: ([sel, labels]) => matchLabelSelector({ matchLabels: sel }, (labels ?? {}) as Record<string, string>),
  },
  to_boolean: {
    arity: 1,
    fn: ([s]) => {
      const v = str(s, 'to_boolean').toLowerCase();
      if (v === 'true') return true;
      if (v === 'false') return false;
      throw new Error(`to_boolean: cannot convert ${JSON.stringify(s)}`);
    },
  },
  add: { arity: 2, fn: ([a, b]) => kyvernoArithmetic('add', a, b) },
  subtract: { arity: 2, fn: ([a, b]) => kyvernoArithmetic('subtract', a, b) },
  multiply: { arity: 2, fn: ([a, b]) => kyvernoArithmetic('multiply', a, b) },
  divide: { arity: 2, fn: ([a, b]) => kyvernoArithmetic('divide', a, b) },
  modulo: { arity: 2, fn: ([a, b]) => kyvernoArithmetic('modulo', a, b) },
  sum: {
    arity: 1,
    types: [TYPE_ARRAY],
    fn: ([list]) => {
      const items = list as JSONValue[];
      if (items.length === 0) throw new Error('sum: empty list');
      return items.slice(1).reduce<JSONValue>((acc, v) => kyvernoArithmetic('add', acc, v), items[0]!);
    },
  },
  round: {
    arity: 2,
    fn: ([n, d]) => {
      const f = 10 ** Number(d);
      return Math.round(Number(n) * f) / f;
    },
  },
  base64_decode: { arity: 1, fn: ([s]) => Buffer.from(str(s, 'base64_decode'), 'base64').toString('utf8') },
  base64_encode: { arity: 1, fn: ([s]) => Buffer.from(str(s, 'base64_encode'), 'utf8').toString('base64') },
  path_canonicalize: {
    arity: 1,
    fn: ([s]) => {
      const parts: string[] = [];
      for (const p of str(s, 'path_canonicalize').split('/')) {
        if (p === '..') parts.pop();
        else if (p && p !== '.') parts.push(p);
      }
      return `/${parts.join('/')}`;
    },
  },
  truncate: { arity: 2, fn: ([s, n]) => str(s, 'truncate').slice(0, Math.max(0, Number(n))) },
  semver_compare: {
    arity: 2,
    fn: ([v, r]) => compareSemver(str(v, 'semver_compare'), str(r, 'semver_compare')),
  },
  parse_json: { arity: 1, fn: ([s]) => parsed(JSON.parse(str(s, 'parse_json'))) },
  parse_yaml: { arity: 1, fn: ([s]) => parsePlainYaml(str(s, 'parse_yaml')) as JSONValue },
  [OWN_FIELD_FUNCTION]: {
    arity: 2,
    fn: ([c, k]) =>
      c && typeof c === 'object' && !Array.isArray(c) ? ((readOwn(c, String(k)) as JSONValue) ?? null) : null,
  },
  lookup: {
    arity: 2,
    fn: ([c, k]) => {
      if (Array.isArray(c)) return c[Number(k)] ?? null;
      if (c && typeof c === 'object') return (readOwn(c, String(k)) as JSONValue) ?? null;
      throw new Error('lookup: expected an object or array');
    },
  },
  items: {
    arity: 3,
    fn: ([c, kn, vn]) => {
      const keyName = str(kn, 'items');
      const valueName = str(vn, 'items');
      if (Array.isArray(c)) return c.map((v, i) => ({ [keyName]: i, [valueName]: v }));
      if (c && typeof c === 'object') {
        return Object.keys(c)
          .sort()
          .map((k) => ({ [keyName]: k, [valueName]: (c as Record<string, JSONValue>)[k]! }));
      }
      throw new Error('items: expected an object or array');
    },
  },
  object_from_lists: {
    arity: 2,
    types: [TYPE_ARRAY, TYPE_ARRAY],
    fn: ([ks, vs]) => {
      const out: Record<string, JSONValue> = {};
      (ks as JSONValue[]).forEach((k, i) => {
        if (String(k) === '__proto__')
          throw new Error('object_from_lists: the key `__proto__` is not allowed');
        out[String(k)] = (vs as JSONValue[])[i] ?? null;
      });
      return out;
    },
  },
  time_now: { arity: 0, fn: () => rfc3339(new Date()) },
  time_now_utc: { arity: 0, fn: () => rfc3339(new Date()) },
  time_utc: { arity: 1, fn: ([t]) => rfc3339(toTime(t, 'time_utc')) },
  time_add: {
    arity: 2,
    fn: ([t, d]) => {
      const secs = parseDuration(str(d, 'time_add'));
      if (secs === undefined) throw new Error(`time_add: invalid duration ${JSON.stringify(d)}`);
      return rfc3339(new Date(toTime(t, 'time_add').getTime() + secs * 1000));
    },
  },
  time_parse: {
    arity: 2,
    fn: ([layout, t]) => rfc3339(new Date(parseGoTime(str(layout, 'time_parse'), str(t, 'time_parse')))),
  },
  time_diff: {
    arity: 2,
    fn: ([a, b]) =>
      formatDuration((toTime(b, 'time_diff').getTime() - toTime(a, 'time_diff').getTime()) / 1000),
  },
  time_since: {
    arity: 3,
    fn: ([_layout, a, b]) => {
      const end = b ? toTime(b, 'time_since') : new Date();
      return formatDuration((end.getTime() - toTime(a, 'time_since').getTime()) / 1000);
    },
  },
  time_before: { arity: 2, fn: ([a, b]) => toTime(a, 'time_before') < toTime(b, 'time_before') },
  time_after: { arity: 2, fn: ([a, b]) => toTime(a, 'time_after') > toTime(b, 'time_after') },
  time_between: {
    arity: 3,
    fn: ([t, s, e]) => {
      const v = toTime(t, 'time_between');
      return v > toTime(s, 'time_between') && v < toTime(e, 'time_between');
    },
  },
  time_truncate: {
    arity: 2,
    fn: ([t, d]) => {
      const secs = parseDuration(str(d, 'time_truncate')) ?? 0;
      const ms = toTime(t, 'time_truncate').getTime();
      return rfc3339(new Date(secs > 0 ? ms - (ms % (secs * 1000)) : ms));
    },
  },
  is_external_url: {
    arity: 1,
    fn: ([s]) => {
      try {
        const host = new URL(str(s, 'is_external_url')).hostname;
        return !/^(localhost|127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|\[?::1\]?$)/.test(host);
      } catch {
        return false;
      }
    },
  },
};

let registered = false;

/** Registers Kyverno's custom JMESPath functions (once, process-wide). */
export function registerKyvernoFunctions(): void {
  if (registered) return;
  registered = true;
  for (const [name, def] of Object.entries({ ...FUNCTIONS, ...EXTRA_FUNCTIONS }) as [
    string,
    { fn: Fn; arity: number; types?: number[] },
  ][]) {
    const signature = Array.from({ length: def.arity }, (_, i) => ({
      types: [def.types?.[i] ?? TYPE_ANY],
    }));
    register(name as 'x', def.fn as never, signature, { override: true });
  }
}
