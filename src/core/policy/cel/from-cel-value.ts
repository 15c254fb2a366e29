/**
 * A CEL result as plain JSON data (the inverse of toCelValue): `int`/`uint` (bigint) become
 * numbers, maps become objects (prototype-free keys are defined, never assigned), bytes base64.
 */
export function fromCelValue(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value === null || value === undefined || typeof value !== 'object') return value ?? null;
  if (Array.isArray(value)) return value.map(fromCelValue);
  if (value instanceof Uint8Array) return btoa(String.fromCharCode(...value));
  const entries: [unknown, unknown][] = value instanceof Map ? [...value.entries()] : Object.entries(value);
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries) {
    Object.defineProperty(out, String(k), {
      value: fromCelValue(v),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}
