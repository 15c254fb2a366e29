import type { FailureAction, KyvernoRule } from './kyverno-policy.ts';
import { isJsonObject } from './kyverno-policy.ts';
import { matchLabelSelector } from './match-label-selector.ts';
import { matchWildcard } from './match-wildcard.ts';

function actionOf(value: unknown): FailureAction | undefined {
  const v = typeof value === 'string' ? value.toLowerCase() : '';
  return v === 'enforce' ? 'Enforce' : v === 'audit' ? 'Audit' : undefined;
}

/**
 * The failure action for a resource's namespace: the first `failureActionOverrides` entry (the
 * rule's `validate.failureActionOverrides`, else the policy's `validationFailureActionOverrides`)
 * whose `namespaces` (wildcards) and `namespaceSelector` both select the namespace, else the
 * rule's action. Cluster-scoped resources keep the rule's action.
 */
export function resolveFailureAction(
  rule: KyvernoRule,
  namespace: string,
  namespaceLabels: Record<string, string> | undefined,
): FailureAction {
  if (!namespace || !rule.failureActionOverrides) return rule.failureAction;
  for (const entry of rule.failureActionOverrides) {
    if (!isJsonObject(entry)) continue;
    const action = actionOf(entry.action);
    if (!action) continue;
    const namespaces = Array.isArray(entry.namespaces) ? entry.namespaces.map(String) : [];
    const selector = entry.namespaceSelector;
    if (namespaces.length === 0 && !isJsonObject(selector)) continue;
    if (namespaces.length > 0 && !namespaces.some((n) => matchWildcard(n, namespace))) continue;
    if (isJsonObject(selector) && !matchLabelSelector(selector, namespaceLabels ?? {})) continue;
    return action;
  }
  return rule.failureAction;
}
