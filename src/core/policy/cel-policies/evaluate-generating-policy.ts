import type { JsonObject } from '../kyverno-policy.ts';
import type { CelPolicy } from './cel-policy.ts';
import type { CelPolicyOutcome, CelRequest } from './evaluate-validating-policy.ts';

export function evaluateGeneratingPolicy(
  _policy: CelPolicy,
  _request: CelRequest,
): { outcome: CelPolicyOutcome; generated?: JsonObject[] } {
  return { outcome: { status: 'error', message: 'GeneratingPolicy is not evaluated yet' } };
}
