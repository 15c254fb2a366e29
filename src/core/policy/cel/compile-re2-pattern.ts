import { EvaluationError } from '@marcbachmann/cel-js';

const POSIX_CLASSES: Record<string, string> = {
  alnum: 'a-zA-Z0-9',
  alpha: 'a-zA-Z',
  ascii: '\\x00-\\x7F',
  blank: ' \\t',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: 'A-Za-z0-9_',
  xdigit: '0-9A-Fa-f',
};

const cache = new Map<string, RegExp>();
const MAX_CACHED = 2000;

/**
 * Turns an RE2 pattern (the regex dialect of CEL's `matches`, `find`, `findAll`) into a JS RegExp:
 * leading flag groups `(?i)`/`(?s)`/`(?m)` become flags, `(?P<name>` named groups, `\A`/`\z`
 * anchors and `[[:alpha:]]` classes are rewritten. Compiled patterns are cached.
 * Throws a CEL evaluation error for patterns neither dialect accepts.
 */
export function compileRe2Pattern(pattern: string, global = false): RegExp {
  const key = (global ? 'g:' : ':') + pattern;
  const cached = cache.get(key);
  if (cached) {
    cached.lastIndex = 0;
    return cached;
  }
  let source = pattern;
  let flags = global ? 'g' : '';
  for (let m = /^\(\?([imsU]+)\)/.exec(source); m; m = /^\(\?([imsU]+)\)/.exec(source)) {
    for (const flag of m[1] ?? '') if (flag !== 'U' && !flags.includes(flag)) flags += flag;
    source = source.slice(m[0].length);
  }
  source = source
    .replace(/\(\?P</g, '(?<')
    .replace(/\\A/g, '(?<![\\s\\S])')
    .replace(/\\z/g, '(?![\\s\\S])')
    .replace(/\[:(\^?)([a-z]+):\]/g, (whole, negated: string, name: string) => {
      const chars = POSIX_CLASSES[name];
      if (!chars) return whole;
      return negated ? `&&NEG[${chars}]` : chars;
    });
  if (source.includes('&&NEG[')) {
    throw new EvaluationError(`unsupported regular expression (negated POSIX class): ${pattern}`);
  }
  let regex: RegExp;
  try {
    regex = new RegExp(source, flags);
  } catch {
    throw new EvaluationError(`invalid regular expression: ${pattern}`);
  }
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(key, regex);
  return regex;
}
