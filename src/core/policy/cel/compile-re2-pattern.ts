import { EvaluationError } from '@marcbachmann/cel-js';
import { compileUntrustedRegex, type UntrustedRegex } from '../../regex/compile-untrusted-regex.ts';

/**
 * An RE2 pattern (the dialect of CEL's `matches`, `find`, `findAll`) on the linear-time engine
 * every untrusted regex uses. Throws a CEL evaluation error for a pattern RE2 rejects, so the
 * expression errors (never passes).
 */
export function compileRe2Pattern(pattern: string): UntrustedRegex {
  const compiled = compileUntrustedRegex(pattern);
  if (!compiled.ok)
    throw new EvaluationError(`invalid regular expression ${JSON.stringify(pattern)}: ${compiled.error}`);
  return compiled.regex;
}
