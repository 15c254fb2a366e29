import { matchesLabelExpressions } from '../manifests/matches-label-expressions.ts';
import { asRecord, asStringMap } from './read-fields.ts';

/**
 * Kubernetes LabelSelector semantics: every `matchLabels` pair and every `matchExpressions` entry
 * (In, NotIn, Exists, DoesNotExist) must hold; an empty selector matches everything.
 */
export function matchesLabelSelector(selector: unknown, labels: Readonly<Record<string, string>>): boolean {
  const s = asRecord(selector);
  for (const [key, value] of Object.entries(asStringMap(s.matchLabels))) {
    if (labels[key] !== value) return false;
  }
  return matchesLabelExpressions(s.matchExpressions, labels);
}
