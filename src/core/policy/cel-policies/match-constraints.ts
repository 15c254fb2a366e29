import { pluralResourceName } from '../cel/build-admission-request.ts';
import { isJsonObject, type JsonObject } from '../kyverno-policy.ts';
import { matchLabelSelector } from '../match-label-selector.ts';
import type { MatchConstraints, ResourceRule } from './cel-policy.ts';

/** The request as admission matching sees it. */
export interface AdmissionSubject {
  group: string;
  version: string;
  kind: string;
  name: string;
  /** Empty for cluster-scoped objects. */
  namespace: string;
  operation: string;
  labels: Record<string, string>;
  /** Labels of the object's Namespace (of the object itself when it is a Namespace). */
  namespaceLabels: Record<string, string>;
}

function anyOrIncludes(list: string[], value: string): boolean {
  return list.length === 0 || list.includes('*') || list.includes(value);
}

function resourceMatches(resources: string[], plural: string): boolean {
  if (resources.length === 0) return true;
  return resources.some((r) => r === '*' || r === '*/*' || r === plural || r === `${plural}/*`);
}

function ruleMatches(rule: ResourceRule, s: AdmissionSubject): boolean {
  return (
    anyOrIncludes(rule.apiGroups, s.group) &&
    anyOrIncludes(rule.apiVersions, s.version) &&
    resourceMatches(rule.resources, pluralResourceName(s.kind)) &&
    anyOrIncludes(rule.operations, s.operation) &&
    (rule.resourceNames.length === 0 || rule.resourceNames.includes(s.name))
  );
}

function selectorMatches(selector: JsonObject | undefined, labels: Record<string, string>): boolean {
  if (!selector) return true;
  const empty =
    !isJsonObject(selector.matchLabels) &&
    (!Array.isArray(selector.matchExpressions) || selector.matchExpressions.length === 0);
  return empty || matchLabelSelector(selector, labels);
}

/**
 * Whether a request falls under `matchConstraints` (or a binding's `matchResources`): one
 * resource rule matches, no exclude rule does, and the namespace and object selectors hold.
 * A cluster-scoped object other than a Namespace is not subject to the namespace selector.
 */
export function matchesConstraints(match: MatchConstraints, s: AdmissionSubject): boolean {
  if (!match.resourceRules.some((r) => ruleMatches(r, s))) return false;
  if (match.excludeResourceRules.some((r) => ruleMatches(r, s))) return false;
  const namespaced = s.namespace !== '' || (s.kind === 'Namespace' && s.group === '');
  if (namespaced && !selectorMatches(match.namespaceSelector, s.namespaceLabels)) return false;
  return selectorMatches(match.objectSelector, s.labels);
}
