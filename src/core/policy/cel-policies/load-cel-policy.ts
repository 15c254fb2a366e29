import type { Finding } from '../../findings/finding.ts';
import type { Manifest } from '../../manifests/parse-manifests.ts';
import { compileCelExpression } from '../cel/compile-cel-expression.ts';
import { describeCompileError, readList, readNamed, readValidation } from '../cel/evaluate-cel-rule.ts';
import { DEFAULT_AUTOGEN_CONTROLLERS } from '../generate-autogen-rules.ts';
import { isJsonObject, type JsonObject } from '../kyverno-policy.ts';
import type {
  AuditAnnotation,
  CelPolicy,
  CelPolicyBinding,
  CelPolicyKind,
  MatchConstraints,
  Mutation,
  ResourceRule,
} from './cel-policy.ts';

const KYVERNO_KINDS: Record<string, CelPolicyKind> = {
  ValidatingPolicy: 'ValidatingPolicy',
  NamespacedValidatingPolicy: 'ValidatingPolicy',
  MutatingPolicy: 'MutatingPolicy',
  NamespacedMutatingPolicy: 'MutatingPolicy',
  GeneratingPolicy: 'GeneratingPolicy',
  NamespacedGeneratingPolicy: 'GeneratingPolicy',
};

/** Kinds of Pod controllers Kyverno generates rules for by default (as for ClusterPolicies). */
export const POD_CONTROLLERS = DEFAULT_AUTOGEN_CONTROLLERS;
const CONTROLLER_BY_NAME = new Map(
  POD_CONTROLLERS.flatMap((k) => [
    [k.toLowerCase(), k],
    [`${k.toLowerCase()}s`, k],
  ]),
);

export function isCelPolicyManifest(m: Manifest): boolean {
  return (
    (m.identity.group === 'policies.kyverno.io' && m.identity.kind in KYVERNO_KINDS) ||
    (m.identity.group === 'admissionregistration.k8s.io' &&
      (m.identity.kind === 'ValidatingAdmissionPolicy' ||
        m.identity.kind === 'ValidatingAdmissionPolicyBinding'))
  );
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : [];
}

function readRule(v: unknown): ResourceRule {
  const r = isJsonObject(v) ? v : {};
  return {
    apiGroups: strings(r.apiGroups),
    apiVersions: strings(r.apiVersions),
    resources: strings(r.resources),
    operations: strings(r.operations),
    resourceNames: strings(r.resourceNames),
  };
}

export function readMatchConstraints(v: unknown): MatchConstraints {
  const m = isJsonObject(v) ? v : {};
  return {
    resourceRules: (Array.isArray(m.resourceRules) ? m.resourceRules : []).map(readRule),
    excludeResourceRules: (Array.isArray(m.excludeResourceRules) ? m.excludeResourceRules : []).map(readRule),
    ...(isJsonObject(m.namespaceSelector) ? { namespaceSelector: m.namespaceSelector } : {}),
    ...(isJsonObject(m.objectSelector) ? { objectSelector: m.objectSelector } : {}),
  };
}

/** Pod controllers to generate rules for: the declared ones, else all when the policy matches only Pods. */
function autogenControllers(spec: JsonObject, match: MatchConstraints): string[] {
  const autogen = isJsonObject(spec.autogen) ? spec.autogen : {};
  const pods = isJsonObject(autogen.podControllers) ? autogen.podControllers : undefined;
  const podsOnly =
    match.resourceRules.length > 0 &&
    match.resourceRules.every(
      (r) =>
        r.resources.length > 0 &&
        r.resources.every((x) => x === 'pods') &&
        r.apiGroups.every((g) => g === '' || g === '*'),
    );
  if (!podsOnly) return [];
  if (pods && Array.isArray(pods.controllers)) {
    return pods.controllers
      .map((c) => CONTROLLER_BY_NAME.get(String(c).toLowerCase()))
      .filter((c): c is string => !!c);
  }
  return POD_CONTROLLERS;
}

function readMutation(item: Record<string, unknown>): Mutation | undefined {
  const type = item.patchType;
  if (type === 'ApplyConfiguration' && isJsonObject(item.applyConfiguration)) {
    const e = item.applyConfiguration.expression;
    return typeof e === 'string' ? { patchType: type, expression: e } : undefined;
  }
  if (type === 'JSONPatch' && isJsonObject(item.jsonPatch)) {
    const e = item.jsonPatch.expression;
    return typeof e === 'string' ? { patchType: type, expression: e } : undefined;
  }
  return undefined;
}

function readAudit(item: Record<string, unknown>): AuditAnnotation | undefined {
  if (typeof item.key !== 'string' || typeof item.valueExpression !== 'string') return undefined;
  return { key: item.key, valueExpression: item.valueExpression };
}

function invalid(m: Manifest, message: string): Finding {
  return {
    check: 'policy',
    rule: 'invalid-policy',
    severity: 'error',
    blocking: true,
    title: `Invalid ${m.identity.kind} in ${m.file}`,
    message: `${m.file}:${m.line}: ${m.identity.kind} ${m.identity.name}: ${message}`,
    remedy: 'Fix the policy; the other policies were still evaluated.',
    location: { file: m.file, line: m.line },
  };
}

/** Expressions that do not compile, one finding each (the policy still loads: it reports errors). */
function compileFindings(m: Manifest, policy: CelPolicy): Finding[] {
  const expressions: [string, string][] = [
    ...policy.matchConditions.map((c, i): [string, string] => [`spec.matchConditions[${i}]`, c.expression]),
    ...policy.variables.map((v, i): [string, string] => [`spec.variables[${i}] "${v.name}"`, v.expression]),
    ...policy.validations.map((v, i): [string, string] => [`spec.validations[${i}]`, v.expression]),
    ...policy.mutations.map((x, i): [string, string] => [`spec.mutations[${i}]`, x.expression]),
    ...policy.generate.map((g, i): [string, string] => [`spec.generate[${i}]`, g]),
  ];
  const findings: Finding[] = [];
  for (const [what, expression] of expressions) {
    const program = compileCelExpression(expression);
    if (!program.ok) findings.push(invalid(m, describeCompileError(what, expression, program.error)));
  }
  return findings;
}

/** A CEL policy from its manifest, or a finding naming file, line and what is wrong. */
export function celPolicyFromManifest(m: Manifest): { policy?: CelPolicy; findings: Finding[] } {
  const spec = isJsonObject(m.object.spec) ? m.object.spec : {};
  const kind: CelPolicyKind = KYVERNO_KINDS[m.identity.kind] ?? 'ValidatingAdmissionPolicy';
  if (!m.identity.name) return { findings: [invalid(m, '`metadata.name` is missing')] };
  try {
    const match = readMatchConstraints(spec.matchConstraints);
    const paramKind = isJsonObject(spec.paramKind) ? spec.paramKind : undefined;
    const generate = (Array.isArray(spec.generate) ? spec.generate : [])
      .map((g) => (isJsonObject(g) && typeof g.expression === 'string' ? g.expression : undefined))
      .filter((e): e is string => e !== undefined);
    const policy: CelPolicy = {
      kind,
      writtenKind: m.identity.kind,
      name: m.identity.name,
      file: m.file,
      line: m.line,
      match,
      matchConditions: readList(spec.matchConditions, 'spec.matchConditions', readNamed),
      variables: readList(spec.variables, 'spec.variables', readNamed),
      validations: readList(spec.validations, 'spec.validations', readValidation),
      auditAnnotations: readList(spec.auditAnnotations, 'spec.auditAnnotations', readAudit),
      validationActions: strings(spec.validationActions),
      failurePolicy: spec.failurePolicy === 'Ignore' ? 'Ignore' : 'Fail',
      mutations: readList(spec.mutations, 'spec.mutations', readMutation),
      generate,
      autogenControllers: kind === 'ValidatingAdmissionPolicy' ? [] : autogenControllers(spec, match),
      bindings: [],
    };
    if (paramKind)
      policy.paramKind = {
        apiVersion: String(paramKind.apiVersion ?? ''),
        kind: String(paramKind.kind ?? ''),
      };
    if (m.identity.kind.startsWith('Namespaced')) policy.namespace = m.identity.namespace || 'default';
    return { policy, findings: compileFindings(m, policy) };
  } catch (error) {
    return { findings: [invalid(m, (error as Error).message)] };
  }
}

/** A ValidatingAdmissionPolicyBinding, with the policy it names. */
export function bindingFromManifest(m: Manifest): { policyName: string; binding: CelPolicyBinding } {
  const spec = isJsonObject(m.object.spec) ? m.object.spec : {};
  return {
    policyName: String(spec.policyName ?? ''),
    binding: {
      name: m.identity.name,
      ...(isJsonObject(spec.matchResources) ? { match: readMatchConstraints(spec.matchResources) } : {}),
      ...(isJsonObject(spec.paramRef) ? { paramRef: spec.paramRef } : {}),
      validationActions: strings(spec.validationActions),
    },
  };
}

/** Loads every CEL policy among the manifests and attaches VAP bindings to their policies. */
export function loadCelPolicies(manifests: Manifest[]): { policies: CelPolicy[]; findings: Finding[] } {
  const policies: CelPolicy[] = [];
  const findings: Finding[] = [];
  const bindings: ReturnType<typeof bindingFromManifest>[] = [];
  for (const m of manifests) {
    if (!isCelPolicyManifest(m)) continue;
    if (m.identity.kind === 'ValidatingAdmissionPolicyBinding') {
      bindings.push(bindingFromManifest(m));
      continue;
    }
    const loaded = celPolicyFromManifest(m);
    findings.push(...loaded.findings);
    if (loaded.policy) policies.push(loaded.policy);
  }
  for (const { policyName, binding } of bindings) {
    const policy = policies.find((p) => p.kind === 'ValidatingAdmissionPolicy' && p.name === policyName);
    if (policy) policy.bindings.push(binding);
  }
  return { policies, findings };
}
