import type { FailureAction } from './kyverno-policy.ts';

export type PolicyStatus = 'pass' | 'fail' | 'skip' | 'error';

/** Outcome of one rule of one policy on one resource. */
export interface PolicyResult {
  policy: string;
  /** Rule name as evaluated (`autogen-<rule>` for generated Pod-controller rules). */
  rule: string;
  /** The rule as written, when `rule` was auto-generated from it. */
  autogenOf?: string;
  status: PolicyStatus;
  message: string;
  failureAction: FailureAction;
  resource: { apiVersion: string; kind: string; namespace: string; name: string };
  /** Where the resource came from; `line` is the offending field's line when known. */
  file: string;
  line: number;
  /** Where else the value shows (the base resource, when an overlay set it). */
  related?: { file: string; line: number }[];
  /** Where the policy (rule) is written. */
  policyFile: string;
  policyLine?: number;
  environment?: string;
}
