import { isJsonObject } from './kyverno-policy.ts';
import { matchWildcard } from './match-wildcard.ts';

/** Kubernetes label selector (matchLabels + matchExpressions); Kyverno allows wildcards in matchLabels. */
export function matchLabelSelector(selector: unknown, labels: Record<string, string>): boolean {
  if (!isJsonObject(selector)) return false;
  if (isJsonObject(selector.matchLabels)) {
    for (const [key, value] of Object.entries(selector.matchLabels)) {
      const keys = Object.keys(labels).filter((k) => matchWildcard(key, k));
      if (!keys.some((k) => matchWildcard(String(value), labels[k] ?? ''))) return false;
    }
  }
  if (Array.isArray(selector.matchExpressions)) {
    for (const expr of selector.matchExpressions) {
      if (!isJsonObject(expr)) return false;
      const key = String(expr.key ?? '');
      const values = Array.isArray(expr.values) ? expr.values.map(String) : [];
      const has = Object.hasOwn(labels, key);
      switch (expr.operator) {
        case 'In':
          if (!has || !values.includes(labels[key]!)) return false;
          break;
        case 'NotIn':
          if (has && values.includes(labels[key]!)) return false;
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
  }
  return true;
}
