/**
 * Kyverno PolicyExceptions, as `kyverno test` reads them from its `exceptions` files:
 * - `kyverno.io` PolicyException: `spec.exceptions[]` names a policy (`name` or `namespace/name`)
 *   and its rules (wildcards allowed); `spec.match` selects resources like a rule's match, and
 *   optional `spec.conditions` must hold. A rule so excepted reports `skip`.
 * - `policies.kyverno.io` PolicyException: `spec.policyRefs[]` names CEL policies; all its CEL
 *   `matchConditions` must hold for the policy to be skipped.
 */
import type { Manifest } from '../manifests/parse-manifests.ts';
import { evaluateConditions } from './evaluate-conditions.ts';
import type { EvalContext } from './evaluate-validate-rule.ts';
import { isJsonObject, type JsonObject } from './kyverno-policy.ts';
import { type MatchSubject, matchRule } from './match-rule.ts';
import { matchWildcard } from './match-wildcard.ts';

export interface PolicyException {
  name: string;
  namespace: string;
  /** Classic: policy (as written) and rule-name patterns. */
  exceptions: { policy: string; rules: string[] }[];
  /** Classic: `{match, exclude}` in rule shape. */
  selector?: JsonObject;
  conditions?: unknown;
  /** CEL kinds: policies by name, and the CEL matchConditions. */
  policyRefs: string[];
  matchConditions: unknown[];
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : [];
}

/** PolicyExceptions among parsed manifests (other documents are ignored). */
export function readPolicyExceptions(manifests: Manifest[]): PolicyException[] {
  const out: PolicyException[] = [];
  for (const m of manifests) {
    if (m.identity.kind !== 'PolicyException') continue;
    if (m.identity.group !== 'kyverno.io' && m.identity.group !== 'policies.kyverno.io') continue;
    const spec = isJsonObject(m.object.spec) ? m.object.spec : {};
    const exceptions = (Array.isArray(spec.exceptions) ? spec.exceptions : [])
      .filter(isJsonObject)
      .map((e) => ({
        policy: String(e.policyName ?? ''),
        rules: strings(e.ruleNames),
      }));
    out.push({
      name: m.identity.name,
      namespace: m.identity.namespace,
      exceptions,
      ...(isJsonObject(spec.match)
        ? { selector: { match: spec.match, ...(spec.exclude ? { exclude: spec.exclude } : {}) } }
        : {}),
      ...(spec.conditions !== undefined ? { conditions: spec.conditions } : {}),
      policyRefs: (Array.isArray(spec.policyRefs) ? spec.policyRefs : [])
        .filter(isJsonObject)
        .map((r) => String(r.name ?? '')),
      matchConditions: Array.isArray(spec.matchConditions) ? spec.matchConditions : [],
    });
  }
  return out;
}

function policyNamed(written: string, name: string, namespace: string | undefined): boolean {
  const slash = written.indexOf('/');
  if (slash < 0) return written === name;
  return written.slice(slash + 1) === name && written.slice(0, slash) === (namespace ?? '');
}

/**
 * The exception that exempts a classic rule on a resource, if any: it names the policy and rule,
 * its match selects the resource and its conditions hold in the rule's context.
 */
export function findRuleException(
  exceptions: readonly PolicyException[],
  policy: { name: string; namespace?: string },
  ruleName: string,
  subject: MatchSubject,
  ctx: () => EvalContext,
): PolicyException | undefined {
  return exceptions.find((e) => {
    const named = e.exceptions.some(
      (x) =>
        policyNamed(x.policy, policy.name, policy.namespace) &&
        x.rules.some((r) => matchWildcard(r, ruleName)),
    );
    if (!named || !e.selector || !matchRule(e.selector, subject)) return false;
    if (e.conditions === undefined) return true;
    try {
      return evaluateConditions(e.conditions, ctx(), 'strict');
    } catch {
      return false;
    }
  });
}
