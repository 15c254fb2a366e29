import { asArray, asRecord, asString, asStringMap } from './read-fields.ts';

/**
 * Kubernetes LabelSelector semantics: every `matchLabels` pair and every `matchExpressions` entry
 * (In, NotIn, Exists, DoesNotExist) must hold; an empty selector matches everything.
 */
export function matchesLabelSelector(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  const s = asRecord(selector);
  for (const [key, value] of Object.entries(asStringMap(s.matchLabels))) {
    if (labels[key] !== value) return false;
  }
  for (const raw of asArray(s.matchExpressions)) {
    const e = asRecord(raw);
    const key = asString(e.key);
    const values = asArray(e.values).map(asString);
    const has = Object.hasOwn(labels, key);
    switch (asString(e.operator)) {
      case 'In':
        if (!has || !values.includes(labels[key] ?? '')) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[key] ?? '')) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false; // an unknown operator selects nothing (the API server would reject it)
    }
  }
  return true;
}
