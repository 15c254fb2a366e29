/**
 * Typed view of the Kyverno (kyverno.io/v1) `ClusterPolicy` / `Policy` documents this engine
 * evaluates. Rule bodies stay plain JSON (they are rewritten by autogen and walked by the
 * pattern/condition evaluators), only the parts the engine branches on are typed.
 */
export type JsonObject = Record<string, unknown>;

export type FailureAction = 'Enforce' | 'Audit';

export interface KyvernoRule {
  name: string;
  /** The raw rule as written (or as rewritten by autogen). */
  raw: JsonObject;
  /** Name of the rule this one was generated from (`autogen-<name>`), when auto-generated. */
  autogenOf?: string;
  /** Effective failure action: rule-level `validate.failureAction`, else the policy's. */
  failureAction: FailureAction;
  /** `validate.failureActionOverrides`, else the policy's `validationFailureActionOverrides`. */
  failureActionOverrides?: unknown[];
}

export interface KyvernoPolicy {
  kind: 'ClusterPolicy' | 'Policy';
  name: string;
  /** Namespace of a namespaced `Policy` (rules only apply to resources in it). */
  namespace?: string;
  file: string;
  line: number;
  annotations: Record<string, string>;
  failureAction: FailureAction;
  /** Environments named by the `tollgate.dev/environments` annotation; undefined: all. */
  environments?: string[];
  /** Rules as written followed by the auto-generated Pod-controller rules. */
  rules: KyvernoRule[];
  /** `spec.applyRules: One`: stop at the first rule that applies. */
  applyOne?: boolean;
  /** `spec.webhookConfiguration.matchConditions` (CEL, on the admission request). */
  matchConditions?: unknown[];
  /** Line of `spec.rules[i]` in the policy file, by rule name (autogen rules map to their source). */
  ruleLines: Record<string, number>;
}

export const ENVIRONMENTS_ANNOTATION = 'tollgate.dev/environments';
export const AUTOGEN_ANNOTATION = 'pod-policies.kyverno.io/autogen-controllers';

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
