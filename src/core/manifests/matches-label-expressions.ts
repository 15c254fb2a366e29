/**
 * Kubernetes `matchExpressions` of a label selector: every entry (In, NotIn, Exists, DoesNotExist)
 * must hold. An unknown operator selects nothing (the API server would reject it).
 */
export function matchesLabelExpressions(
  expressions: unknown,
  labels: Readonly<Record<string, string>>,
): boolean {
  if (!Array.isArray(expressions)) return true;
  for (const raw of expressions) {
    if (!raw || typeof raw !== 'object') return false;
    const e = raw as Record<string, unknown>;
    const key = String(e.key ?? '');
    const values = Array.isArray(e.values) ? e.values.map(String) : [];
    const has = Object.hasOwn(labels, key);
    switch (e.operator) {
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
        return false;
    }
  }
  return true;
}
