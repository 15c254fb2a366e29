import { matchesLabelExpressions } from '../manifests/matches-label-expressions.ts';
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
  return matchesLabelExpressions(selector.matchExpressions, labels);
}
