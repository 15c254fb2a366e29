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
export function policyResultsToFindings(results: PolicyResult[]): Finding[] {
  const findings: Finding[] = [];
  for (const r of results) {
    const ruleId = `${r.policy}/${r.autogenOf ?? r.rule}`;
    const object = formatResourceId(r.resource);
    const base = {
      check: 'policy',
      rule: ruleId,
      location: { file: r.file, line: r.line },
      objects: [object],
      ...(r.environment ? { environment: r.environment } : {}),
    };
    const enforce = r.failureAction === 'Enforce';
    if (r.status === 'fail') {
      findings.push({
        ...base,
        severity: enforce ? 'error' : 'warning',
        blocking: enforce,
        title: `${object} violates policy ${ruleId}`,
        message: r.message,
        remedy: enforce
          ? 'Change the manifest so that it satisfies the policy; the policy is enforced and blocks the merge.'
          : 'The policy is in Audit mode: this does not block the merge, but the resource should be fixed.',
      });
    } else if (r.status === 'error') {
      findings.push({
        ...base,
        severity: enforce ? 'error' : 'warning',
        blocking: enforce,
        title: `Policy ${ruleId} could not be evaluated on ${object}`,
        message: r.message,
        remedy: `Check the policy in ${r.policyFile}${r.policyLine ? `:${r.policyLine}` : ''} and the resource's fields it reads.`,
      });
    } else if (r.status === 'skip' && /^(needs a cluster|not evaluated offline)/.test(r.message)) {
      findings.push({
        ...base,
        severity: 'notice',
        blocking: false,
        title: `Policy ${ruleId} was not checked on ${object}`,
        message: `${r.message}; Tollgate evaluates policies offline.`,
      });
    }
  }
  return findings;
}
