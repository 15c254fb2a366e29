import { evaluateJmespath } from './evaluate-jmespath.ts';
import { isJsonObject } from './kyverno-policy.ts';

/** `strict`: an unresolvable variable throws (validate, deny). `lenient`: it becomes '' (preconditions). */
export type SubstitutionMode = 'strict' | 'lenient';

const INNERMOST = /(^|[^\\])\{\{((?:(?!\{\{|\}\}).)*?)\}\}/s;

function stringify(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function resolve(expression: string, context: unknown, mode: SubstitutionMode): unknown {
  try {
    return evaluateJmespath(expression, context);
  } catch (error) {
    if (mode === 'lenient') return '';
    throw new Error(
      `failed to substitute {{${expression}}}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/**
 * Replaces Kyverno `{{ jmespath }}` variables in a string, innermost first (so nested
 * `{{ divide('{{ a }}', '{{ b }}') }}` works). A string that is exactly one variable keeps the
 * value's type (list, number, object); otherwise values are spliced in as text.
 */
export function substituteString(text: string, context: unknown, mode: SubstitutionMode): unknown {
  if (!text.includes('{{')) return text;
  let current = text;
  for (let guard = 0; guard < 100; guard++) {
    const m = INNERMOST.exec(current);
    if (!m) break;
    const prefix = m[1] ?? '';
    const start = m.index + prefix.length;
    const end = m.index + m[0].length;
    const value = resolve(m[2] ?? '', context, mode);
    if (start === 0 && end === current.length) return value;
    current = current.slice(0, start) + stringify(value) + current.slice(end);
  }
  return current.replace(/\\\{\{/g, '{{');
}

/** Substitutes variables in every string of a JSON value (keys stay as written). */
export function substituteAll(value: unknown, context: unknown, mode: SubstitutionMode): unknown {
  if (typeof value === 'string') return substituteString(value, context, mode);
  if (Array.isArray(value)) return value.map((v) => substituteAll(v, context, mode));
  if (isJsonObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      if (k !== '__proto__') out[k] = substituteAll(v, context, mode);
    return out;
  }
  return value;
}

/** True when a JSON value contains a `{{` variable anywhere (so substitution can be skipped). */
export function hasVariables(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('{{');
  if (Array.isArray(value)) return value.some(hasVariables);
  if (isJsonObject(value)) return Object.values(value).some(hasVariables);
  return false;
}
