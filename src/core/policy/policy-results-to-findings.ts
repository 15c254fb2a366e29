import type { Finding } from '../findings/finding.ts';
import { formatResourceId } from '../manifests/resource-identity.ts';
import type { PolicyResult } from './policy-result.ts';

/**
 * Turns policy results into findings (check `policy`, rule `<policy>/<rule>`):
 * - fail under Enforce → blocking error; fail under Audit → non-blocking warning;
 * - error (the rule could not be evaluated: bad variable, bad JMESPath...) → treated like a
 *   failure of the same policy: blocking under Enforce (fail closed, as Kyverno's default
 *   `failurePolicy: Fail` does at admission), a warning under Audit;
 * - skip because the rule needs a cluster (apiCall, configMap, verifyImages...) → notice, so it
 *   is never a silent pass; other skips and passes produce nothing.
 */
/** `require-probes/require-probes` → `require-probes`: a rule named like its policy is said once. */
export function nameRule(policy: string, rule: string): string {
  return policy === rule ? policy : `${policy}/${rule}`;
}

/**
 * The policy's own message, without the engine's trailing detail (`(denied by conditions)`,
 * `(value 1 does not match ">=2" at path /spec/replicas/)`): the words its author wrote for a
 * person who has to fix the manifest.
 */
export function policyOwnMessage(message: string): string {
  // String search, not a backtracking regex: messages may carry substituted resource values.
  if (!message.endsWith(')')) return message;
  const open = message.lastIndexOf(' (');
  if (open <= 0) return message;
  const detail = message.slice(open + 2, -1);
  const engine =
    detail === 'denied by conditions' ||
    detail.includes(' at path /') ||
    detail.startsWith('field is missing');
  return engine && !detail.includes('(') ? message.slice(0, open).trimEnd() : message;
}

export function policyResultsToFindings(results: PolicyResult[]): Finding[] {
  const findings: Finding[] = [];
  for (const r of results) {
    const ruleId = `${r.policy}/${r.autogenOf ?? r.rule}`;
    const shown = nameRule(r.policy, r.autogenOf ?? r.rule);
    const object = formatResourceId(r.resource);
    const base = {
      check: 'policy',
      rule: ruleId,
      location: { file: r.file, line: r.line },
      ...(r.related ? { relatedLocations: r.related } : {}),
      objects: [object],
      ...(r.environment ? { environment: r.environment } : {}),
    };
    const enforce = r.failureAction === 'Enforce';
    if (r.status === 'fail') {
      findings.push({
        ...base,
        severity: enforce ? 'error' : 'warning',
        blocking: enforce,
        title: `${object} violates policy ${shown}`,
        message: r.message,
        // The fix is what the policy's author asked for; the generic words only when it says nothing.
        remedy:
          policyOwnMessage(r.message) !== r.message ||
          !/^(validation error|denied by|value |field )/.test(r.message)
            ? `${policyOwnMessage(r.message)}${enforce ? '' : ' (Audit: does not block the merge)'}`
            : enforce
              ? 'Change the manifest so that it satisfies the policy; the policy is enforced and blocks the merge.'
              : 'The policy is in Audit mode: this does not block the merge, but the resource should be fixed.',
      });
    } else if (r.status === 'error') {
      findings.push({
        ...base,
        severity: enforce ? 'error' : 'warning',
        blocking: enforce,
        title: `Policy ${shown} could not be evaluated on ${object}`,
        message: r.message,
        remedy: `Check the policy in ${r.policyFile}${r.policyLine ? `:${r.policyLine}` : ''} and the resource's fields it reads.`,
      });
    } else if (r.status === 'skip' && /^(needs a cluster|not evaluated offline)/.test(r.message)) {
      findings.push({
        ...base,
        severity: 'notice',
        blocking: false,
        title: `Policy ${shown} was not checked on ${object}`,
        message: `${r.message}; Tollgate evaluates policies offline.`,
      });
    }
  }
  return findings;
}
