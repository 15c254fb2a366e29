/**
 * `holder[key]` when `holder` has that key itself, else undefined: never a value inherited from
 * `Object.prototype` (`constructor`, `toString`, or anything written onto it). Use it wherever the
 * key comes from input or configuration.
 */
export function readOwn(holder: unknown, key: PropertyKey): unknown {
  if (holder === null || typeof holder !== 'object') return undefined;
  return Object.hasOwn(holder, key) ? (holder as Record<PropertyKey, unknown>)[key] : undefined;
}
