import { isPlainObject } from './apply-strategic-merge-patch.ts';

/**
 * A kustomize label/annotation selector (`a=b,c!=d,e`; `==` too) against a label or annotation
 * map. An empty or absent selector matches everything.
 */
export function matchesSelector(selector: unknown, map: unknown): boolean {
  if (typeof selector !== 'string' || !selector) return true;
  const values = isPlainObject(map) ? map : {};
  return selector.split(',').every((term) => {
    const t = term.trim();
    const ne = t.indexOf('!=');
    if (ne > 0) return values[t.slice(0, ne).trim()] !== t.slice(ne + 2).trim();
    const eq = t.indexOf('=');
    if (eq > 0)
      return String(values[t.slice(0, eq).trim()]) === t.slice(t[eq + 1] === '=' ? eq + 2 : eq + 1).trim();
    return t in values;
  });
}
