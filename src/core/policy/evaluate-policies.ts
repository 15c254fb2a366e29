import type { Manifest } from '../manifests/parse-manifests.ts';
import { readOwn } from '../safe-keys/read-own.ts';
import {
  type AdmittedObjects,
  buildEvalContext,
  contextLoader as loadContextWith,
  setDotted,
} from './build-eval-context.ts';
import { type AdmissionOperation, evaluateCelRule } from './cel/evaluate-cel-rule.ts';
import { evaluateConditions } from './evaluate-conditions.ts';
import { type EvalContext, evaluateValidateRule, type RuleOutcome } from './evaluate-validate-rule.ts';
import { applyGenerateRule } from './generate/apply-generate-rule.ts';
import { isJsonObject, type JsonObject, type KyvernoPolicy, type KyvernoRule } from './kyverno-policy.ts';
import { isEmptyRequestInfo, type MatchSubject, matchRule, type RequestInfo } from './match-rule.ts';
import { applyMutateRule } from './mutate/apply-mutate-rule.ts';
import { findRuleException, type PolicyException } from './policy-exception.ts';
import type { PolicyResult } from './policy-result.ts';
import { evaluatePodSecurity } from './pss/evaluate-pod-security.ts';
import { resolveFailureAction } from './resolve-failure-action.ts';

export interface NamespaceInfo {
  labels: Record<string, string>;
  object?: JsonObject;
}

export interface EvaluateOptions {
  /** Environment being checked; policies whose `tollgate.dev/environments` omit it are not run. */
  environment?: string;
  /** Admission operation to simulate; CREATE by default (UPDATE uses the object as its own old object). */
  operation?: AdmissionOperation;
  /** Namespaces by name (labels for namespaceSelector, object for CEL `namespaceObject`). */
  namespaces?: Record<string, NamespaceInfo>;
  /** Who sends the request (a `kyverno test` userinfo file); unknown by default. */
  requestInfo?: RequestInfo;
  /** Objects generate rules may clone from (a test's cloneSourceResource files). */
  cloneSources?: JsonObject[];
  /** PolicyExceptions (a test's `exceptions` files): an excepted rule reports `skip`. */
  exceptions?: PolicyException[];
}

/** Which rules run: mutate rules (admission's first pass) or validate and generate rules (the second). */
export type PolicyPhase = 'mutate' | 'validate';

/** What one policy did to one resource. */
export interface PolicyRun {
  results: PolicyResult[];
  /** The object after the policy's mutate rules, when one changed it. */
  patched?: JsonObject;
  /** Objects its generate rules create. */
  generated: JsonObject[];
}

/** One resource as a rule sees it, with optional per-resource overrides (a `kyverno test` values file). */
export interface ResourceUnderTest {
  manifest: Manifest;
  operation?: AdmissionOperation;
  /** Extra context variables, dotted keys (`request.operation`, `foo.bar`). */
  values?: Record<string, unknown>;
  /** Extra context variables for one rule only, by rule name (`rules[].values` of a values file). */
  ruleValues?: Record<string, Record<string, unknown>>;
  /** `rules[].foreachValues` of a values file: per rule, per variable, one value per foreach element. */
  foreachValues?: Record<string, Record<string, unknown[]>>;
}

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isJsonObject(v)) for (const [k, x] of Object.entries(v)) out[k] = String(x);
  return out;
}

export { setDotted };

function subjectOf(
  manifest: Manifest,
  operation: string,
  namespaces: Record<string, NamespaceInfo>,
  requestInfo: RequestInfo | undefined,
): MatchSubject {
  const meta = isJsonObject(manifest.object.metadata) ? manifest.object.metadata : {};
  const { group, version, kind, name, namespace } = manifest.identity;
  const subject: MatchSubject = {
    group,
    version,
    kind,
    name,
    namespace,
    labels: stringMap(meta.labels),
    annotations: stringMap(meta.annotations),
    operation,
  };
  if (typeof meta.generateName === 'string') subject.generateName = meta.generateName;
  if (!isEmptyRequestInfo(requestInfo)) subject.requestInfo = requestInfo!;
  const ns = namespace ? (readOwn(namespaces, namespace) as NamespaceInfo | undefined) : undefined;
  if (ns) subject.namespaceLabels = ns.labels;
  return subject;
}

/** Kinds a rule can match (last path segment of its match kinds), or null when any kind may match. */
const kindIndex = new WeakMap<KyvernoRule, Set<string> | null>();

function matchableKinds(rule: KyvernoRule): Set<string> | null {
  if (kindIndex.has(rule)) return kindIndex.get(rule)!;
  let kinds: Set<string> | null = new Set();
  const match = rule.raw.match;
  const filters = isJsonObject(match)
    ? [
        ...(Array.isArray(match.any) ? match.any : []),
        ...(Array.isArray(match.all) ? match.all : []),
        ...(isJsonObject(match.resources) ? [match] : []),
      ]
    : [];
  for (const f of filters) {
    const list = isJsonObject(f) && isJsonObject(f.resources) ? f.resources.kinds : undefined;
    if (!Array.isArray(list) || list.length === 0) {
      kinds = null;
      break;
    }
    for (const k of list) {
      const parts = String(k).split('/');
      const kind = parts.find((p) => /^[A-Z]/.test(p)) ?? '*';
      if (kind.includes('*') || kind.includes('?')) {
        kinds = null;
        break;
      }
      kinds.add(kind);
    }
    if (!kinds) break;
  }
  kindIndex.set(rule, kinds);
  return kinds;
}

/** The CEL `namespaceObject`: the Namespace manifest, else one built from known labels. */
function namespaceObjectOf(name: string, info: NamespaceInfo | undefined): unknown {
  if (!info) return undefined;
  if (info.object) return info.object;
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: info.labels } };
}

interface RuleInput {
  resource: ResourceUnderTest;
  operation: AdmissionOperation;
  namespaceName: string;
  namespace: NamespaceInfo | undefined;
  requestInfo: RequestInfo | undefined;
  /** Context and admitted objects with the resource's values (built on first use, see admittedOf). */
  admitted?: AdmittedObjects;
}

function admittedOf(input: RuleInput): AdmittedObjects {
  input.admitted ??= buildEvalContext(
    input.resource.manifest,
    input.operation,
    input.resource.values,
    input.requestInfo,
  );
  return input.admitted;
}

/** Values given for the rule, or for the rule an auto-generated one comes from. */
function ownValues(rule: KyvernoRule, input: RuleInput): Record<string, unknown> | undefined {
  const values = input.resource.ruleValues;
  return values?.[rule.name] ?? (rule.autogenOf ? values?.[rule.autogenOf] : undefined);
}

function admittedForRule(rule: KyvernoRule, input: RuleInput): AdmittedObjects {
  const own = ownValues(rule, input);
  if (!own) return admittedOf(input);
  const values = { ...(input.resource.values ?? {}), ...own };
  return buildEvalContext(input.resource.manifest, input.operation, values, input.requestInfo);
}

type RuleRunOutcome = RuleOutcome & { patched?: JsonObject; generated?: JsonObject[] };

function evaluateRule(
  rule: KyvernoRule,
  input: RuleInput,
  options: EvaluateOptions,
): RuleRunOutcome | undefined {
  const raw = rule.raw;
  const validate = raw.validate;
  const { operation } = input;
  if (raw.verifyImages !== undefined) return { status: 'skip', message: 'needs a cluster: verifyImages' };
  const values = { ...(input.resource.values ?? {}), ...(ownValues(rule, input) ?? {}) };
  const foreachValues =
    input.resource.foreachValues?.[rule.name] ??
    (rule.autogenOf ? input.resource.foreachValues?.[rule.autogenOf] : undefined);
  const contextLoader = (v: Record<string, unknown>) => loadContextWith(v, foreachValues);
  if (isJsonObject(raw.mutate)) {
    if (operation === 'DELETE') return undefined;
    const admitted = admittedForRule(rule, input);
    const object = admitted.object as JsonObject;
    return applyMutateRule(raw, { object, ctx: { ...admitted.ctx }, loadContext: contextLoader(values) });
  }
  if (isJsonObject(raw.generate)) {
    if (operation === 'DELETE') return undefined;
    const admitted = admittedForRule(rule, input);
    return applyGenerateRule(raw, {
      ctx: { ...admitted.ctx },
      loadContext: contextLoader(values),
      ...(options.cloneSources ? { cloneSources: options.cloneSources } : {}),
    });
  }
  if (!isJsonObject(validate)) return undefined;
  const admitted = admittedForRule(rule, input);
  if (validate.cel !== undefined) {
    if (operation === 'DELETE') return undefined; // Kyverno skips CEL validation on deletion
    const namespaceObject = namespaceObjectOf(input.namespaceName, input.namespace);
    const userInfo = input.requestInfo?.userInfo;
    const outcome = evaluateCelRule(raw, {
      object: admitted.object,
      oldObject: admitted.oldObject,
      operation,
      // Unknown Namespace: leave it undefined, so the CEL evaluator builds one with just its name,
      // as Kyverno does without a cluster (cluster-scoped objects get null there).
      ...(namespaceObject !== undefined ? { namespaceObject } : {}),
      ...(userInfo ? { userInfo } : {}),
    });
    return {
      status: outcome.status,
      message: outcome.status === 'pass' ? 'validation rule passed' : outcome.message,
    };
  }
  if (validate.podSecurity !== undefined) {
    if (operation === 'DELETE') return undefined; // Kyverno skips PSS checks on deletion
    if (raw.preconditions !== undefined) {
      const ctx: EvalContext = { ...admitted.ctx };
      const skip = contextLoader(values)(raw.context, ctx);
      if (skip) return { status: 'skip', message: skip };
      try {
        if (!evaluateConditions(raw.preconditions, ctx, 'strict')) {
          return { status: 'skip', message: 'preconditions not met' };
        }
      } catch (error) {
        return { status: 'error', message: `failed to evaluate preconditions: ${(error as Error).message}` };
      }
    }
    const outcome = evaluatePodSecurity(rule.name, validate.podSecurity, admitted.object as JsonObject);
    return { status: outcome.status, message: outcome.message };
  }
  if (validate.manifests !== undefined || validate.assert !== undefined) {
    return { status: 'skip', message: 'not evaluated offline: validate.manifests/assert' };
  }
  return evaluateValidateRule(raw, {
    object: admitted.object,
    ctx: { ...admitted.ctx },
    loadContext: contextLoader(values),
    operation,
  });
}

const matchConditionRules = new WeakMap<unknown[], Record<string, unknown>>();

/** `spec.webhookConfiguration.matchConditions`: every CEL condition must hold (an error: no match). */
function policyMatchConditionsHold(policy: KyvernoPolicy, input: RuleInput): boolean {
  const conditions = policy.matchConditions;
  if (!conditions) return true;
  let rule = matchConditionRules.get(conditions);
  if (!rule) {
    rule = { name: 'matchConditions', celPreconditions: conditions, validate: { cel: { expressions: [] } } };
    matchConditionRules.set(conditions, rule);
  }
  const admitted = admittedOf(input);
  const userInfo = input.requestInfo?.userInfo;
  const outcome = evaluateCelRule(rule, {
    object: input.operation === 'DELETE' ? null : admitted.object,
    oldObject: admitted.oldObject,
    operation: input.operation,
    ...(userInfo ? { userInfo } : {}),
  });
  return outcome.status === 'pass';
}

const subjectCache = new WeakMap<
  Manifest,
  MatchSubject & { namespaces: Record<string, NamespaceInfo>; info: RequestInfo | undefined }
>();

/** Evaluates one policy against one resource: a result per rule that matches it. */
export function evaluatePolicyOnResource(
  policy: KyvernoPolicy,
  resource: ResourceUnderTest,
  options: EvaluateOptions = {},
): PolicyResult[] {
  return runPolicyOnResource(policy, resource, options).results;
}

function isMutateRule(rule: KyvernoRule): boolean {
  return isJsonObject(rule.raw.mutate);
}

/**
 * Runs one policy's rules (of one phase, or all in order) on one resource. Each mutate rule
 * sees the object as the previous one left it; later rules see the mutated object.
 */
export function runPolicyOnResource(
  policy: KyvernoPolicy,
  resource: ResourceUnderTest,
  options: EvaluateOptions = {},
  phase?: PolicyPhase,
): PolicyRun {
  const results: PolicyResult[] = [];
  const run: PolicyRun = { results, generated: [] };
  const { manifest } = resource;
  if (policy.namespace && manifest.identity.namespace !== policy.namespace) return run;
  const valueOp = resource.values?.['request.operation'];
  const operation = (
    typeof valueOp === 'string' ? valueOp : (resource.operation ?? options.operation ?? 'CREATE')
  ) as AdmissionOperation;
  const namespaces = options.namespaces ?? {};
  const requestInfo = options.requestInfo;
  let subject = subjectCache.get(manifest);
  if (
    !subject ||
    subject.operation !== operation ||
    subject.namespaces !== namespaces ||
    subject.info !== requestInfo
  ) {
    subject = { ...subjectOf(manifest, operation, namespaces, requestInfo), namespaces, info: requestInfo };
    subjectCache.set(manifest, subject);
  }
  const nsName =
    manifest.identity.kind === 'Namespace' ? manifest.identity.name : manifest.identity.namespace;
  const input: RuleInput = {
    resource,
    operation,
    namespaceName: nsName,
    namespace: nsName ? (readOwn(namespaces, nsName) as NamespaceInfo | undefined) : undefined,
    requestInfo,
  };
  let conditionsChecked = false;
  for (const rule of policy.rules) {
    if (phase && (phase === 'mutate') !== isMutateRule(rule)) continue;
    const kinds = matchableKinds(rule);
    if (kinds && !kinds.has(subject.kind)) continue;
    if (!matchRule(rule.raw, subject)) continue;
    if (!conditionsChecked) {
      if (!policyMatchConditionsHold(policy, input)) return run;
      conditionsChecked = true;
    }
    const exception = options.exceptions?.length
      ? findRuleException(options.exceptions, policy, rule.name, subject, () => ({
          ...admittedOf(input).ctx,
        }))
      : undefined;
    const outcome: RuleRunOutcome | undefined = exception
      ? {
          status: 'skip',
          message: `rule skipped due to policy exception ${exception.namespace ? `${exception.namespace}/` : ''}${exception.name}`,
        }
      : evaluateRule(rule, input, options);
    if (!outcome) continue;
    if (outcome.patched) {
      run.patched = outcome.patched;
      input.resource = {
        ...input.resource,
        manifest: { ...input.resource.manifest, object: outcome.patched },
      };
      delete input.admitted;
    }
    if (outcome.generated) run.generated.push(...outcome.generated);
    const line = (outcome.path && manifest.lineOf(outcome.path)) || manifest.line;
    // Provenance: a value an overlay set (its `replicas:` entry) is reported where it was set.
    const origin = outcome.path ? manifest.originOf?.(outcome.path) : undefined;
    const result: PolicyResult = {
      policy: policy.name,
      rule: rule.name,
      status: outcome.status,
      message: outcome.message,
      failureAction: resolveFailureAction(rule, manifest.identity.namespace, subject.namespaceLabels),
      resource: {
        apiVersion: String(manifest.object.apiVersion ?? ''),
        kind: manifest.identity.kind,
        namespace: manifest.identity.namespace,
        name: manifest.identity.name,
      },
      file: origin?.file ?? manifest.file,
      line: origin ? (origin.line ?? 1) : line,
      ...(origin ? { related: [{ file: manifest.file, line }] } : {}),
      policyFile: policy.file,
    };
    if (rule.autogenOf) result.autogenOf = rule.autogenOf;
    const policyLine = readOwn(policy.ruleLines, rule.name) as number | undefined;
    if (policyLine) result.policyLine = policyLine;
    if (options.environment) result.environment = options.environment;
    results.push(result);
    // `applyRules: One`: the first rule that applies (passes or fails) ends the policy.
    if (policy.applyOne && (outcome.status === 'pass' || outcome.status === 'fail')) break;
  }
  return run;
}

/** Namespaces (labels and objects) declared among the manifests. */
export function collectNamespaces(manifests: Manifest[]): Record<string, NamespaceInfo> {
  // Keyed by namespace names from the manifests: no prototype, so `constructor` is just a name.
  const out: Record<string, NamespaceInfo> = Object.create(null);
  for (const m of manifests) {
    if (m.identity.kind !== 'Namespace' || m.identity.group !== '') continue;
    const meta = isJsonObject(m.object.metadata) ? m.object.metadata : {};
    out[m.identity.name] = { labels: stringMap(meta.labels), object: m.object };
  }
  return out;
}

/** Whether a policy runs in an environment (`tollgate.dev/environments` annotation). */
export function policyAppliesToEnvironment(policy: KyvernoPolicy, environment: string | undefined): boolean {
  return !environment || !policy.environments || policy.environments.includes(environment);
}

/**
 * Evaluates every policy against every manifest (pure): one result per (policy, rule, resource)
 * whose match/exclude select the resource. Namespace objects among the manifests feed
 * namespaceSelector unless `options.namespaces` is given.
 */
export function evaluatePolicies(
  policies: KyvernoPolicy[],
  manifests: Manifest[],
  options: EvaluateOptions = {},
): PolicyResult[] {
  const opts: EvaluateOptions = {
    ...options,
    namespaces: options.namespaces ?? collectNamespaces(manifests),
  };
  const active = policies.filter((p) => policyAppliesToEnvironment(p, options.environment));
  const results: PolicyResult[] = [];
  for (const manifest of manifests) {
    for (const policy of active) results.push(...evaluatePolicyOnResource(policy, { manifest }, opts));
  }
  return results;
}
