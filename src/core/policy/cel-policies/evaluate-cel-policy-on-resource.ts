/**
 * Runs one CEL policy (ValidatingPolicy, ValidatingAdmissionPolicy with its bindings,
 * MutatingPolicy, GeneratingPolicy) on one resource: admission matching, autogen for Pod
 * controllers, parameters from files, then the kind's evaluator. Results are PolicyResults like
 * the classic engine's, plus the mutated object and generated objects.
 */
import type { Manifest } from '../../manifests/parse-manifests.ts';
import type { CelUserInfo } from '../cel/build-admission-request.ts';
import type { AdmissionOperation } from '../cel/evaluate-cel-rule.ts';
import { readList, readNamed } from '../cel/evaluate-cel-rule.ts';
import type { ClusterMocks } from '../cel/register-cluster-libraries.ts';
import { isJsonObject, type JsonObject } from '../kyverno-policy.ts';
import { matchLabelSelector } from '../match-label-selector.ts';
import type { PolicyException } from '../policy-exception.ts';
import type { PolicyResult, PolicyStatus } from '../policy-result.ts';
import type { CelPolicy, CelPolicyBinding } from './cel-policy.ts';
import { evaluateGeneratingPolicy } from './evaluate-generating-policy.ts';
import { evaluateMutatingPolicy } from './evaluate-mutating-policy.ts';
import {
  buildCelPolicyBindings,
  type CelPolicyOutcome,
  type CelRequest,
  checkMatchConditions,
  evaluateValidatingPolicy,
} from './evaluate-validating-policy.ts';
import { type AdmissionSubject, matchesConstraints } from './match-constraints.ts';

export interface CelPolicyEnvironment {
  operation: AdmissionOperation;
  /** Old object for UPDATE/DELETE (undefined: the object itself on UPDATE). */
  oldObject?: JsonObject;
  namespaces: Record<string, { labels: Record<string, string>; object?: JsonObject }>;
  userInfo?: CelUserInfo;
  mocks?: ClusterMocks;
  globalContext?: Record<string, unknown>;
  /** Objects a ValidatingAdmissionPolicy's paramRef can name (the repository's or test's files). */
  paramObjects?: JsonObject[];
  /** CEL PolicyExceptions (`policyRefs` + `matchConditions`). */
  exceptions?: PolicyException[];
}

export interface CelPolicyRun {
  results: PolicyResult[];
  /** The object after a MutatingPolicy's mutations (undefined: not mutated). */
  patched?: JsonObject;
  /** Objects a GeneratingPolicy creates. */
  generated?: JsonObject[];
}

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  if (isJsonObject(v)) for (const [k, x] of Object.entries(v)) out[k] = String(x);
  return out;
}

function subjectOf(m: Manifest, object: JsonObject, env: CelPolicyEnvironment): AdmissionSubject {
  const meta = isJsonObject(object.metadata) ? object.metadata : {};
  const { group, version, kind, name, namespace } = m.identity;
  const ns = kind === 'Namespace' && group === '' ? name : namespace;
  const nsLabels =
    kind === 'Namespace' && group === '' ? stringMap(meta.labels) : (env.namespaces[ns]?.labels ?? {});
  return {
    group,
    version,
    kind,
    name,
    namespace,
    operation: env.operation,
    labels: stringMap(meta.labels),
    namespaceLabels: nsLabels,
  };
}

function templateLabels(object: JsonObject, kind: string): Record<string, string> {
  const spec = isJsonObject(object.spec) ? object.spec : {};
  const holder =
    kind === 'CronJob' && isJsonObject(spec.jobTemplate) && isJsonObject(spec.jobTemplate.spec)
      ? spec.jobTemplate.spec
      : spec;
  const template = isJsonObject(holder.template) ? holder.template : {};
  return stringMap(isJsonObject(template.metadata) ? template.metadata.labels : undefined);
}

function actionOf(actions: string[]): 'Enforce' | 'Audit' {
  return actions.some((a) => a.toLowerCase() === 'deny') ? 'Enforce' : 'Audit';
}

/** Params for a binding's paramRef: undefined when the policy takes none, [] when none are found. */
function paramsFor(
  policy: CelPolicy,
  binding: CelPolicyBinding | undefined,
  m: Manifest,
  env: CelPolicyEnvironment,
): unknown[] | undefined {
  if (!policy.paramKind || !binding?.paramRef) return undefined;
  const ref = binding.paramRef;
  const ofKind = (env.paramObjects ?? []).filter(
    (o) => o.apiVersion === policy.paramKind!.apiVersion && o.kind === policy.paramKind!.kind,
  );
  const refNs = typeof ref.namespace === 'string' ? ref.namespace : m.identity.namespace;
  const inNs = (o: JsonObject) => {
    const meta = isJsonObject(o.metadata) ? o.metadata : {};
    return !refNs || (meta.namespace ?? '') === refNs || !meta.namespace;
  };
  if (typeof ref.name === 'string') {
    return ofKind.filter((o) => inNs(o) && isJsonObject(o.metadata) && o.metadata.name === ref.name);
  }
  if (isJsonObject(ref.selector)) {
    return ofKind.filter(
      (o) =>
        inNs(o) &&
        matchLabelSelector(ref.selector, stringMap(isJsonObject(o.metadata) ? o.metadata.labels : undefined)),
    );
  }
  return [];
}

function result(
  policy: CelPolicy,
  m: Manifest,
  rule: string,
  outcome: CelPolicyOutcome,
  actions: string[],
): PolicyResult {
  return {
    policy: policy.name,
    rule,
    status: outcome.status as PolicyStatus,
    message: outcome.message,
    failureAction: actionOf(actions),
    resource: {
      apiVersion: String(m.object.apiVersion ?? ''),
      kind: m.identity.kind,
      namespace: m.identity.namespace,
      name: m.identity.name,
    },
    file: m.file,
    line: m.line,
    policyFile: policy.file,
    policyLine: policy.line,
  };
}

/** Whether the policy applies to the resource, and in which form (as written, or autogen for a controller). */
function applicableForm(
  policy: CelPolicy,
  m: Manifest,
  object: JsonObject,
  env: CelPolicyEnvironment,
): { autogenFor?: string } | undefined {
  if (policy.namespace && m.identity.namespace !== policy.namespace) return undefined;
  const subject = subjectOf(m, object, env);
  if (matchesConstraints(policy.match, subject)) return {};
  if (m.identity.group !== 'apps' && m.identity.group !== 'batch' && m.identity.group !== '')
    return undefined;
  if (!policy.autogenControllers.includes(m.identity.kind)) return undefined;
  const asPod: AdmissionSubject = {
    ...subject,
    group: '',
    version: 'v1',
    kind: 'Pod',
    labels: templateLabels(object, m.identity.kind),
  };
  return matchesConstraints(policy.match, asPod) ? { autogenFor: m.identity.kind } : undefined;
}

export function evaluateCelPolicyOnResource(
  policy: CelPolicy,
  m: Manifest,
  env: CelPolicyEnvironment,
  object: JsonObject = m.object,
): CelPolicyRun {
  const form = applicableForm(policy, m, object, env);
  if (!form) return { results: [] };
  const nsName = m.identity.kind === 'Namespace' ? m.identity.name : m.identity.namespace;
  const nsObject = nsName ? env.namespaces[nsName]?.object : undefined;
  const request: CelRequest = {
    object: env.operation === 'DELETE' ? null : object,
    oldObject: env.operation === 'CREATE' ? null : (env.oldObject ?? object),
    operation: env.operation,
    ...(nsObject ? { namespaceObject: nsObject } : {}),
    ...(env.userInfo ? { userInfo: env.userInfo } : {}),
    ...(env.mocks ? { mocks: env.mocks } : {}),
    ...(env.globalContext ? { globalContext: env.globalContext } : {}),
    ...form,
  };
  const rule = form.autogenFor
    ? `autogen-${form.autogenFor === 'CronJob' ? 'cronjobs-' : ''}${policy.name}`
    : policy.name;
  const exception = findCelException(policy, env.exceptions ?? [], request);
  if (exception) {
    const message = `policy skipped due to policy exception ${exception.namespace ? `${exception.namespace}/` : ''}${exception.name}`;
    return { results: [result(policy, m, rule, { status: 'skip', message }, policy.validationActions)] };
  }
  if (policy.kind === 'MutatingPolicy') {
    const run = evaluateMutatingPolicy(policy, request);
    return {
      results: [result(policy, m, rule, run.outcome, policy.validationActions)],
      ...(run.patched ? { patched: run.patched } : {}),
    };
  }
  if (policy.kind === 'GeneratingPolicy') {
    const run = evaluateGeneratingPolicy(policy, request);
    return {
      results: [result(policy, m, rule, run.outcome, [])],
      ...(run.generated ? { generated: run.generated } : {}),
    };
  }
  if (policy.kind === 'ValidatingAdmissionPolicy')
    return { results: evaluateAdmissionPolicy(policy, m, object, env, request) };
  return {
    results: [result(policy, m, rule, evaluateValidatingPolicy(policy, request), policy.validationActions)],
  };
}

/** A CEL PolicyException that names the policy and whose matchConditions all hold. */
function findCelException(
  policy: CelPolicy,
  exceptions: PolicyException[],
  request: CelRequest,
): PolicyException | undefined {
  return exceptions.find((e) => {
    if (!e.policyRefs.includes(policy.name)) return false;
    try {
      const conditions = readList(e.matchConditions, 'spec.matchConditions', readNamed);
      const bindings = buildCelPolicyBindings({ variables: [] }, request, (x) => x);
      return checkMatchConditions(conditions, bindings, (x) => x) === undefined;
    } catch {
      return false;
    }
  });
}

/** A ValidatingAdmissionPolicy applies through each binding that matches (no binding: as written, without params). */
function evaluateAdmissionPolicy(
  policy: CelPolicy,
  m: Manifest,
  object: JsonObject,
  env: CelPolicyEnvironment,
  request: CelRequest,
): PolicyResult[] {
  const bindings: (CelPolicyBinding | undefined)[] =
    policy.bindings.length > 0 ? policy.bindings : [undefined];
  const results: PolicyResult[] = [];
  for (const binding of bindings) {
    if (binding?.match && !matchesConstraints(binding.match, subjectOf(m, object, env))) continue;
    const actions = binding?.validationActions.length ? binding.validationActions : ['Deny'];
    const rule = binding ? binding.name : policy.name;
    const params = paramsFor(policy, binding, m, env);
    if (policy.paramKind && !binding?.paramRef) {
      results.push(
        result(
          policy,
          m,
          rule,
          { status: 'error', message: 'the policy has paramKind but its binding no paramRef' },
          actions,
        ),
      );
      continue;
    }
    if (params && params.length === 0) {
      const allow = String(binding?.paramRef?.parameterNotFoundAction ?? 'Deny') === 'Allow';
      results.push(
        result(
          policy,
          m,
          rule,
          allow
            ? { status: 'pass', message: 'no params found (parameterNotFoundAction: Allow)' }
            : { status: 'fail', message: `no params found for binding ${binding?.name ?? ''}` },
          actions,
        ),
      );
      continue;
    }
    const outcomes = (params ?? [null]).map((p) =>
      evaluateValidatingPolicy(policy, { ...request, params: p }),
    );
    const worst =
      outcomes.find((o) => o.status === 'error') ?? outcomes.find((o) => o.status === 'fail') ?? outcomes[0]!;
    results.push(result(policy, m, rule, worst, actions));
  }
  return results;
}
