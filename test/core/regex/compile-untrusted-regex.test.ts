import { describe, expect, it } from 'vitest';
import {
  compileUntrustedRegex,
  MAX_PATTERN_LENGTH,
} from '../../../src/core/regex/compile-untrusted-regex.ts';

const compile = (pattern: string) => {
  const result = compileUntrustedRegex(pattern);
  if (!result.ok) throw new Error(result.error);
  return result.regex;
};

describe('compileUntrustedRegex (RE2 on re2js)', () => {
  it('matches `(a+)+b` against 100,000 characters without backtracking (V8 needs ~9 s for 28)', () => {
    const re = compile('(a+)+b');
    expect(re.test(`/${'a'.repeat(100_000)}`)).toBe(false);
    expect(re.matchesWhole(`${'a'.repeat(100_000)}b`)).toBe(true);
    expect(compile('^(a|aa)+$').test(`${'a'.repeat(50_000)}!`)).toBe(false);
  });

  it('has Go/RE2 syntax: (?i), (?P<name>), POSIX classes, \\A and \\z', () => {
    expect(compile('(?i)^coffee$').test('CoFFee')).toBe(true);
    expect(compile('(?P<v>v[0-9]+)').find('/tea/v12/x')).toEqual(['v12', 'v12']);
    expect(compile('[[:alpha:]]+').findAll('ab 12 cd')).toEqual(['ab', 'cd']);
    expect(compile('\\Acoffee\\z').test('coffee')).toBe(true);
    expect(compile('(a)|b').find('b')).toEqual(['b', undefined]);
  });

  it('replaces as Go does ($1, braced and named groups, $$); `$1W` names the group "1W"', () => {
    const re = compile('a(?P<x>x*)b');
    const braced = (name: string) => `$\{${name}}`; // Go's ${name}, not a template
    expect(re.replaceAll('-ab-axxb-', `${braced('1')}W`)).toBe('-W-xxW-');
    expect(re.replaceAll('-ab-axxb-', '$1W')).toBe('---');
    expect(re.replaceAll('-axb-', `[$x|${braced('x')}|$$]`)).toBe('-[x|x|$]-');
    expect(re.replaceAll('-axb-', '$1', true)).toBe('-$1-');
    expect(compile('b').findAll('abcbdb', 2)).toEqual(['b', 'b']);
  });

  it('returns an error, never throws, for what RE2 rejects and for over-long patterns', () => {
    for (const [pattern, why] of [
      ['(a', 'missing closing )'],
      ['(?=x)', 'invalid or unsupported Perl syntax'],
      ['(a)\\1', 'invalid escape sequence'],
    ] as const) {
      const result = compileUntrustedRegex(pattern);
      expect(result.ok).toBe(false);
      expect(!result.ok && result.error).toContain(why);
    }
    const long = compileUntrustedRegex('a'.repeat(MAX_PATTERN_LENGTH + 1));
    expect(long).toEqual({
      ok: false,
      error: `the pattern is ${MAX_PATTERN_LENGTH + 1} characters long; the limit is ${MAX_PATTERN_LENGTH}`,
    });
  });
});
