import type { JsonObject } from '../kyverno-policy.ts';
import type { CelPolicy } from './cel-policy.ts';
import type { CelPolicyOutcome, CelRequest } from './evaluate-validating-policy.ts';

export function evaluateMutatingPolicy(
  _policy: CelPolicy,
  _request: CelRequest,
): { outcome: CelPolicyOutcome; patched?: JsonObject } {
  return { outcome: { status: 'error', message: 'MutatingPolicy is not evaluated yet' } };
}
