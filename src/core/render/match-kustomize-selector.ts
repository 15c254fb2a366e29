import { isPlainObject } from './apply-strategic-merge-patch.ts';

/** Splits `a in (x,y),b` at the commas that are not inside parentheses. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const c of selector) {
    if (c === '(') depth++;
    else if (c === ')') depth--;
    if (c === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else current += c;
  }
  terms.push(current);
  return terms.map((t) => t.trim()).filter((t) => t !== '');
}

const SET_TERM = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/;

/**
 * A Kubernetes label selector in its string form, as kustomize's `labelSelector` and
 * `annotationSelector` take it: equality (`a=b`, `a==b`, `a!=b`), sets (`a in (x,y)`,
 * `a notin (x)`), existence (`a`, `!a`), comma-separated and all required. An empty or absent
 * selector matches everything. A `!=` or `notin` term also matches objects without the key.
 */
export function matchesSelector(selector: unknown, map: unknown): boolean {
  if (typeof selector !== 'string' || !selector) return true;
  const values = isPlainObject(map) ? map : {};
  const has = (key: string) => Object.hasOwn(values, key);
  return splitTerms(selector).every((t) => {
    const set = SET_TERM.exec(t);
    if (set) {
      const [, key, op, list] = set;
      const members = list!.split(',').map((v) => v.trim());
      const inSet = has(key!) && members.includes(String(values[key!]));
      return op === 'in' ? inSet : !inSet;
    }
    const ne = t.indexOf('!=');
    if (ne > 0)
      return !has(t.slice(0, ne).trim()) || String(values[t.slice(0, ne).trim()]) !== t.slice(ne + 2).trim();
    const eq = t.indexOf('=');
    if (eq > 0) {
      const key = t.slice(0, eq).trim();
      return has(key) && String(values[key]) === t.slice(t[eq + 1] === '=' ? eq + 2 : eq + 1).trim();
    }
    if (t.startsWith('!')) return !has(t.slice(1).trim());
    return has(t);
  });
}
