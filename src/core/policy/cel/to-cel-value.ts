const converted = new WeakMap<object, unknown>();

function convert(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(convert);
  if (value instanceof Date) return value.toISOString();
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === '__proto__') Object.defineProperty(out, key, { value: convert(item), enumerable: true });
    else out[key] = convert(item);
  }
  return out;
}

/**
 * A Kubernetes object (plain JSON data) as CEL sees it: whole numbers become CEL `int` (bigint),
 * as the API server decodes JSON integers into int64; other numbers stay `double`. Undefined
 * becomes null. Conversions are cached per object, so the same manifest checked by many
 * rules is converted once.
 */
export function toCelValue(value: unknown): unknown {
  if (value === undefined) return null;
  if (value === null || typeof value !== 'object') return convert(value);
  const cached = converted.get(value);
  if (cached !== undefined) return cached;
  const result = convert(value);
  converted.set(value, result);
  return result;
}
