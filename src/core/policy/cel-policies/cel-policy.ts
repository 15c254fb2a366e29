/**
 * Typed view of the CEL-based policy kinds: Kyverno's `ValidatingPolicy`, `MutatingPolicy`,
 * `GeneratingPolicy` (policies.kyverno.io, every served version, namespaced variants too) and
 * Kubernetes' `ValidatingAdmissionPolicy` with its bindings (admissionregistration.k8s.io/v1).
 */
import type { NamedExpression, Validation } from '../cel/evaluate-cel-rule.ts';
import type { JsonObject } from '../kyverno-policy.ts';

export type CelPolicyKind =
  | 'ValidatingPolicy'
  | 'MutatingPolicy'
  | 'GeneratingPolicy'
  | 'ValidatingAdmissionPolicy';

export interface ResourceRule {
  apiGroups: string[];
  apiVersions: string[];
  /** Plural resource names, `*`, or `name/subresource`. */
  resources: string[];
  operations: string[];
  resourceNames: string[];
}

export interface MatchConstraints {
  resourceRules: ResourceRule[];
  excludeResourceRules: ResourceRule[];
  namespaceSelector?: JsonObject;
  objectSelector?: JsonObject;
}

export interface AuditAnnotation {
  key: string;
  valueExpression: string;
}

export interface Mutation {
  patchType: 'ApplyConfiguration' | 'JSONPatch';
  expression: string;
}

export interface CelPolicy {
  kind: CelPolicyKind;
  /** `ValidatingPolicy` / `NamespacedValidatingPolicy`... as written. */
  writtenKind: string;
  name: string;
  /** Namespaced variants apply to their own namespace only. */
  namespace?: string;
  file: string;
  line: number;
  match: MatchConstraints;
  matchConditions: NamedExpression[];
  variables: NamedExpression[];
  validations: Validation[];
  auditAnnotations: AuditAnnotation[];
  /** Deny, Warn, Audit (Kyverno's default: Audit for ValidatingPolicy). */
  validationActions: string[];
  failurePolicy: 'Fail' | 'Ignore';
  mutations: Mutation[];
  /** GeneratingPolicy `spec.generate[].expression`. */
  generate: string[];
  /** Kinds of Pod controllers rules are generated for (empty: no autogen). */
  autogenControllers: string[];
  /** ValidatingAdmissionPolicy `spec.paramKind`. */
  paramKind?: { apiVersion: string; kind: string };
  /** Bindings of a ValidatingAdmissionPolicy (each one a way the policy applies). */
  bindings: CelPolicyBinding[];
}

export interface CelPolicyBinding {
  name: string;
  match?: MatchConstraints;
  paramRef?: JsonObject;
  validationActions: string[];
}
