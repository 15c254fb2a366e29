const cache = new Map<string, RegExp>();

/** Kyverno wildcard match: `*` any run of characters, `?` exactly one; the whole string must match. */
export function matchWildcard(pattern: string, value: string): boolean {
  if (!pattern.includes('*') && !pattern.includes('?')) return pattern === value;
  let re = cache.get(pattern);
  if (!re) {
    const body = pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    re = new RegExp(`^${body}$`, 's');
    if (cache.size > 5000) cache.clear();
    cache.set(pattern, re);
  }
  return re.test(value);
}

export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}
