/**
 * Field path patterns of the drift allow-list. A path such as
 * `spec.template.spec.containers[name=app].env[name=X].value` is split into segments (`spec`, …,
 * `containers`, `[name=app]`, `env`, `[name=X]`, `value`). In a pattern, `*` matches one segment,
 * `[*]` one list item, `**` any number of segments; an optional `Kind:` prefix restricts it to one
 * kind (`Secret:data`). A pattern matching a path also matches everything below it.
 */
export function splitFieldPath(path: string): string[] {
  const segments: string[] = [];
  let current = '';
  for (let i = 0; i < path.length; i++) {
    const c = path[i]!;
    if (c === '.') {
      if (current) segments.push(current);
      current = '';
    } else if (c === '[') {
      if (current) segments.push(current);
      let j = i + 1;
      let inQuote = false;
      for (; j < path.length; j++) {
        if (path[j] === '"' && path[j - 1] !== '\\') inQuote = !inQuote;
        else if (path[j] === ']' && !inQuote) break;
      }
      const inner = path.slice(i + 1, j);
      segments.push(inner.startsWith('"') ? (JSON.parse(inner) as string) : `[${inner}]`);
      current = '';
      i = j;
    } else current += c;
  }
  if (current) segments.push(current);
  return segments;
}

function matchFrom(pattern: string[], p: number, path: string[], s: number): boolean {
  if (p === pattern.length) return true; // prefix match: everything below is covered
  const token = pattern[p]!;
  if (token === '**') {
    for (let k = s; k <= path.length; k++) if (matchFrom(pattern, p + 1, path, k)) return true;
    return false;
  }
  if (s === path.length) return false;
  const segment = path[s]!;
  const ok = token === '*' || token === segment || (token === '[*]' && segment.startsWith('['));
  return ok && matchFrom(pattern, p + 1, path, s + 1);
}

export function matchesFieldPattern(pattern: string, kind: string, path: string): boolean {
  let body = pattern;
  const colon = pattern.indexOf(':');
  if (colon > 0 && /^[A-Z][A-Za-z0-9]*$/.test(pattern.slice(0, colon))) {
    if (pattern.slice(0, colon) !== kind) return false;
    body = pattern.slice(colon + 1);
  }
  return matchFrom(splitFieldPath(body), 0, splitFieldPath(path), 0);
}

/** True when one path is the other or lies below it. */
export function pathsOverlap(a: string, b: string): boolean {
  const x = splitFieldPath(a);
  const y = splitFieldPath(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return false;
  return true;
}
