const UNSAFE_KEYS = new Set<PropertyKey>(['__proto__', 'constructor', 'prototype']);

/**
 * Keys that lead from data to the objects every object inherits from (`__proto__`, `constructor`,
 * `prototype`). A path walker given one of them as a segment neither reads nor writes through it:
 * everything in a repository (a patch path, a field spec, a replacement target, a policy's
 * context name) is hostile, and a write through `__proto__` would change what every object of
 * the worker inherits, permission tables included.
 */
export function isUnsafeKey(key: PropertyKey): boolean {
  return UNSAFE_KEYS.has(key);
}
