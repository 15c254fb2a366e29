/**
 * Kyverno wildcard match: `*` any run of characters, `?` exactly one; the whole string must match.
 * No regular expression: a two-pointer scan that only ever backs up to the last `*`, so the cost
 * is at most pattern length × value length, never exponential (the algorithm of Go's
 * go-wildcard, which Kyverno uses).
 */
export function matchWildcard(pattern: string, value: string): boolean {
  if (!pattern.includes('*') && !pattern.includes('?')) return pattern === value;
  const p = [...pattern];
  const v = [...value];
  let i = 0;
  let j = 0;
  let star = -1;
  let resume = 0;
  while (j < v.length) {
    if (i < p.length && (p[i] === '?' || (p[i] !== '*' && p[i] === v[j]))) {
      i++;
      j++;
    } else if (i < p.length && p[i] === '*') {
      star = i++;
      resume = j;
    } else if (star >= 0) {
      i = star + 1;
      j = ++resume;
    } else return false;
  }
  while (i < p.length && p[i] === '*') i++;
  return i === p.length;
}

export function hasWildcard(pattern: string): boolean {
  return pattern.includes('*') || pattern.includes('?');
}
