export type KeyPath = (string | number)[];

/**
 * Removes every own `__proto__` key from parsed data, in place, and returns where each was.
 * YAML and JSON parsers keep such a key as an ordinary own property; the first copy made by
 * assignment (`out[key] = value`) would turn it into the copy's prototype. `constructor` and
 * `prototype` stay: as own data they are harmless, and walkers read own properties only.
 */
export function dropUnsafeKeys(value: unknown, sourceText?: string): KeyPath[] {
  const found: KeyPath[] = [];
  // Only a text that spells `__proto__`, or escapes characters (`"\x5f_proto__"`), can hold one.
  if (sourceText !== undefined && !sourceText.includes('__proto__') && !sourceText.includes('\\'))
    return found;
  const seen = new Set<object>();
  const path: KeyPath = [];
  const walk = (node: unknown) => {
    if (node === null || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        path.push(i);
        walk(node[i]);
        path.pop();
      }
      return;
    }
    if (Object.hasOwn(node, '__proto__')) {
      found.push([...path, '__proto__']);
      Reflect.deleteProperty(node, '__proto__');
    }
    for (const key of Object.keys(node)) {
      path.push(key);
      walk((node as Record<string, unknown>)[key]);
      path.pop();
    }
  };
  walk(value);
  return found;
}
