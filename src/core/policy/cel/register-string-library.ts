import { type Environment, EvaluationError } from '@marcbachmann/cel-js';
import { compileRe2Pattern } from './compile-re2-pattern.ts';

/** Name under which `matches` is re-registered with RE2 syntax support (see rewrite-cel-source.ts). */
export const RE2_MATCHES_FUNCTION = 'tollgate_matches';

function charAt(text: string, index: bigint): string {
  const chars = [...text];
  if (index < 0n || index > BigInt(chars.length)) {
    throw new EvaluationError(`index out of range: ${index}`);
  }
  return chars[Number(index)] ?? '';
}

function replace(text: string, from: string, to: string, limit = -1n): string {
  if (limit < 0n) return text.split(from).join(to);
  let out = '';
  let rest = text;
  for (let n = 0n; n < limit; n++) {
    const at = rest.indexOf(from);
    if (at < 0) break;
    out += rest.slice(0, at) + to;
    rest = rest.slice(at + from.length);
    if (from === '') {
      out += rest.slice(0, 1);
      rest = rest.slice(1);
    }
  }
  return out + rest;
}

function formatValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return value;
  if (typeof value === 'number')
    return Number.isInteger(value) && Math.abs(value) < 1e21 ? `${value}` : String(value);
  if (Array.isArray(value)) return `[${value.map(formatValue).join(', ')}]`;
  if (value instanceof Map) {
    return `{${[...value].map(([k, v]) => `${formatValue(k)}: ${formatValue(v)}`).join(', ')}}`;
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return `{${Object.entries(value)
      .map(([k, v]) => `${k}: ${formatValue(v)}`)
      .join(', ')}}`;
  }
  return String(value);
}

function asNumber(value: unknown, verb: string): number | bigint {
  if (typeof value === 'number' || typeof value === 'bigint') return value;
  if (typeof value === 'object' && value !== null && 'value' in value && typeof value.value === 'bigint') {
    return value.value; // uint
  }
  throw new EvaluationError(`error during formatting: ${verb} formatting clause requires a number`);
}

/** cel-go's `string.format(list)`: %s %d %f %e %x %X %o %b %% with optional `.N` precision. */
function format(template: string, args: readonly unknown[]): string {
  let next = 0;
  return template.replace(
    /%(?:\.(\d+))?([sdfexXob%])/g,
    (_clause, precision: string | undefined, verb: string) => {
      if (verb === '%') return '%';
      if (next >= args.length) throw new EvaluationError(`index ${next} out of range`);
      const value = args[next++];
      const digits = precision === undefined ? 6 : Number(precision);
      switch (verb) {
        case 's':
          return formatValue(value);
        case 'd': {
          const n = asNumber(value, '%d');
          if (typeof n === 'number' && !Number.isInteger(n)) {
            throw new EvaluationError('error during formatting: decimal clause can only be used on integers');
          }
          return String(n);
        }
        case 'f':
          return Number(asNumber(value, '%f')).toFixed(digits);
        case 'e':
          return Number(asNumber(value, '%e'))
            .toExponential(digits)
            .replace(/e([+-])(\d)$/, 'e$10$2');
        case 'x':
        case 'X': {
          const text =
            typeof value === 'string'
              ? [...new TextEncoder().encode(value)].map((b) => b.toString(16).padStart(2, '0')).join('')
              : BigInt(asNumber(value, '%x')).toString(16);
          return verb === 'X' ? text.toUpperCase() : text;
        }
        case 'o':
          return BigInt(asNumber(value, '%o')).toString(8);
        default:
          return BigInt(asNumber(value, '%b')).toString(2);
      }
    },
  );
}

function quote(text: string): string {
  return JSON.stringify(text).replace(
    /[\u007f-\u009f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function findAll(text: string, pattern: string, limit = -1n): string[] {
  if (limit === 0n) return [];
  const max = limit > 0n ? Number(limit > 1_000_000n ? 1_000_000n : limit) : -1;
  return compileRe2Pattern(pattern).findAll(text, max);
}

class StringsNamespace {}

/**
 * What the Kubernetes CEL environment adds to the CEL string functions the library already has:
 * the rest of cel-go's strings extension (`charAt`, `replace`, `reverse`, `format`, `strings.quote`),
 * the Kubernetes regex library (`find`, `findAll`) and RE2-compatible `matches`.
 */
export function registerStringLibrary(env: Environment): void {
  env
    .registerFunction('string.charAt(int): string', charAt)
    .registerFunction('string.replace(string, string): string', (s: string, a: string, b: string) =>
      replace(s, a, b),
    )
    .registerFunction('string.replace(string, string, int): string', replace)
    .registerFunction('string.reverse(): string', (s: string) => [...s].reverse().join(''))
    .registerFunction('string.format(list<dyn>): string', format)
    .registerType('StringsNamespace', StringsNamespace)
    .registerConstant('strings', 'StringsNamespace', new StringsNamespace())
    .registerFunction('StringsNamespace.quote(string): string', (_: unknown, s: string) => quote(s))
    .registerFunction('string.find(string): string', (s: string, p: string) => {
      return compileRe2Pattern(p).find(s)?.[0] ?? '';
    })
    .registerFunction('string.findAll(string): list<string>', (s: string, p: string) => findAll(s, p))
    .registerFunction('string.findAll(string, int): list<string>', findAll)
    .registerFunction(`string.${RE2_MATCHES_FUNCTION}(string): bool`, (s: string, p: string) =>
      compileRe2Pattern(p).test(s),
    )
    .registerFunction(`${RE2_MATCHES_FUNCTION}(string, string): bool`, (s: string, p: string) =>
      compileRe2Pattern(p).test(s),
    );
}
