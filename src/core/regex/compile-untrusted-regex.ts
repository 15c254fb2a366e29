import { RE2JS } from 're2js';

/**
 * A regular expression from a repository, a policy or configuration, compiled for RE2 (the
 * dialect Go, Kyverno, CEL and Gateway API controllers use) and run by re2js: matching takes
 * time linear in the text, whatever the pattern, so no input can hold a worker.
 */
export interface UntrustedRegex {
  readonly pattern: string;
  /** A match anywhere in the text (like RegExp#test, Go's MatchString). */
  test(text: string): boolean;
  /** The whole text matches (Gateway API `RegularExpression`, kustomize selectors). */
  matchesWhole(text: string): boolean;
  /** The first match: the matched text, then each group (undefined for one that took no part). */
  find(text: string): (string | undefined)[] | undefined;
  /** The matched texts, left to right, not overlapping; at most `limit` when it is positive. */
  findAll(text: string, limit?: number): string[];
  /** Go's ReplaceAllString (`$1`, `${1}`, `$name`, `${name}`, `$$`), or ReplaceAllLiteralString. */
  replaceAll(text: string, replacement: string, literal?: boolean): string;
}

export type CompiledRegex = { ok: true; regex: UntrustedRegex } | { ok: false; error: string };

/** Longer patterns are refused: compiling is linear too, but nobody writes a 4 KiB route regex. */
export const MAX_PATTERN_LENGTH = 4096;
const MAX_CACHED = 5000;
const cache = new Map<string, CompiledRegex>();

/** Go's Regexp.Expand of one match. */
function expand(template: string, groups: (string | null)[], names: Record<string, number>): string {
  return template.replace(/\$(?:\$|\{([A-Za-z0-9_]*)\}|([A-Za-z0-9_]+))/g, (whole, braced, bare) => {
    if (whole === '$$') return '$';
    const name = (braced ?? bare) as string;
    if (name === '') return braced === undefined ? whole : '';
    const index = /^\d+$/.test(name) ? Number(name) : Object.hasOwn(names, name) ? names[name] : undefined;
    return index === undefined ? '' : (groups[index] ?? '');
  });
}

function wrap(pattern: string, re: RE2JS): UntrustedRegex {
  const names = re.namedGroups();
  const groupsOf = (m: ReturnType<RE2JS['matcher']>) =>
    Array.from({ length: m.groupCount() + 1 }, (_, i) => m.group(i));
  return {
    pattern,
    test: (text) => re.test(text),
    matchesWhole: (text) => re.matches(text),
    find(text) {
      const m = re.matcher(text);
      return m.find() ? groupsOf(m).map((g) => g ?? undefined) : undefined;
    },
    findAll(text, limit = -1) {
      const out: string[] = [];
      const m = re.matcher(text);
      while ((limit <= 0 || out.length < limit) && m.find()) out.push(m.group() ?? '');
      return out;
    },
    replaceAll(text, replacement, literal = false) {
      const m = re.matcher(text);
      let out = '';
      let last = 0;
      while (m.find()) {
        out +=
          text.slice(last, m.start()) + (literal ? replacement : expand(replacement, groupsOf(m), names));
        last = m.end();
      }
      return out + text.slice(last);
    },
  };
}

/**
 * Compiles an untrusted pattern with RE2 syntax and semantics (no backreferences or lookaround;
 * `(?i)`, `(?P<name>…)`, `[[:alpha:]]`, `\A`, `\z` as Go has them). Never throws: a pattern RE2
 * rejects, or one over MAX_PATTERN_LENGTH, comes back as `{ ok: false, error }` for the caller
 * to report with its file and line. Results are cached by pattern.
 */
export function compileUntrustedRegex(
  pattern: string,
  options: { caseInsensitive?: boolean } = {},
): CompiledRegex {
  const key = `${options.caseInsensitive ? 'i' : '-'}${pattern}`;
  const cached = cache.get(key);
  if (cached) return cached;
  let result: CompiledRegex;
  if (pattern.length > MAX_PATTERN_LENGTH) {
    result = {
      ok: false,
      error: `the pattern is ${pattern.length} characters long; the limit is ${MAX_PATTERN_LENGTH}`,
    };
  } else {
    try {
      const re = RE2JS.compile(pattern, options.caseInsensitive ? RE2JS.CASE_INSENSITIVE : 0);
      result = { ok: true, regex: wrap(pattern, re) };
    } catch (error) {
      result = {
        ok: false,
        error: `not a valid regular expression (RE2 syntax): ${(error as Error).message.replace(/^error parsing regexp: /, '')}`,
      };
    }
  }
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(key, result);
  return result;
}
