import type { Manifest } from '../manifests/parse-manifests.ts';
import { buildImagesContext } from './build-images-context.ts';
import { type AdmissionOperation, evaluateCelRule } from './cel/evaluate-cel-rule.ts';
import { evaluateConditions } from './evaluate-conditions.ts';
import { evaluateJmespath } from './evaluate-jmespath.ts';
import { type EvalContext, evaluateValidateRule, type RuleOutcome } from './evaluate-validate-rule.ts';
import { isJsonObject, type JsonObject, type KyvernoPolicy, type KyvernoRule } from './kyverno-policy.ts';
import { type MatchSubject, matchRule } from './match-rule.ts';
import type { PolicyResult } from './policy-result.ts';
import { evaluatePodSecurity } from './pss/evaluate-pod-security.ts';
import { substituteAll } from './substitute-variables.ts';

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
}

/** One resource as a rule sees it, with optional per-resource overrides (a `kyverno test` values file). */
export interface ResourceUnderTest {
  manifest: Manifest;
  operation?: AdmissionOperation;
  /** Extra context variables, dotted keys (`request.operation`, `foo.bar`). */
  values?: Record<string, unknown>;
}

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isJsonObject(v)) for (const [k, x] of Object.entries(v)) out[k] = String(x);
  return out;
}

export function setDotted(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const keys = dotted.split('.');
  let node = target;
  keys.slice(0, -1).forEach((k) => {
    if (!isJsonObject(node[k])) node[k] = {};
    node = node[k] as Record<string, unknown>;
  });
  node[keys[keys.length - 1]!] = value;
}

const CLUSTER_CONTEXT = ['configMap', 'apiCall', 'imageRegistry', 'globalReference'];

function contextLoader(values: Record<string, unknown>) {
  const provided = (name: string) => Object.keys(values).some((k) => k === name || k.startsWith(`${name}.`));
  return (entries: unknown, ctx: EvalContext): string | undefined => {
    if (!Array.isArray(entries)) return undefined;
    for (const entry of entries) {
      if (!isJsonObject(entry) || typeof entry.name !== 'string') continue;
      if (provided(entry.name)) continue;
      const remote = CLUSTER_CONTEXT.find((k) => entry[k] !== undefined);
      if (remote) return `needs a cluster: context entry ${entry.name} uses ${remote}`;
      const variable = entry.variable;
      if (!isJsonObject(variable)) continue;
      let value: unknown;
      try {
        const base = variable.value !== undefined ? substituteAll(variable.value, ctx, 'strict') : undefined;
        if (typeof variable.jmesPath === 'string') {
          const path = String(substituteAll(variable.jmesPath, ctx, 'strict'));
          value = evaluateJmespath(path, base !== undefined ? base : ctx);
        } else value = base;
      } catch (error) {
        if (variable.default === undefined) throw error;
        value = null;
      }
      if ((value === null || value === undefined) && variable.default !== undefined) {
        value = substituteAll(variable.default, ctx, 'strict');
      }
      setDotted(ctx, entry.name, value ?? null);
    }
    return undefined;
  };
}

function subjectOf(
  manifest: Manifest,
  operation: string,
  namespaces: Record<string, NamespaceInfo>,
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
  const ns = namespace ? namespaces[namespace] : undefined;
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

function baseContext(resource: ResourceUnderTest, operation: AdmissionOperation): EvalContext {
  const object = resource.manifest.object;
  const oldObject = operation === 'UPDATE' || operation === 'DELETE' ? object : null;
  const { identity } = resource.manifest;
  const ctx: EvalContext = {
    request: {
      operation,
      object,
      oldObject,
      namespace: identity.namespace,
      name: identity.name,
      kind: { group: identity.group, version: identity.version, kind: identity.kind },
      userInfo: {},
    },
    images: buildImagesContext(object),
  };
  for (const [k, v] of Object.entries(resource.values ?? {})) setDotted(ctx, k, v);
  return ctx;
}

function evaluateRule(
  rule: KyvernoRule,
  resource: ResourceUnderTest,
  operation: AdmissionOperation,
  namespace: NamespaceInfo | undefined,
  base: () => EvalContext,
): RuleOutcome | undefined {
  const raw = rule.raw;
  const validate = raw.validate;
  if (raw.verifyImages !== undefined) return { status: 'skip', message: 'needs a cluster: verifyImages' };
  if (!isJsonObject(validate)) return undefined; // mutate/generate: not evaluated (noted at load time)
  const object = resource.manifest.object;
  const oldObject = operation === 'UPDATE' || operation === 'DELETE' ? object : null;
  if (validate.cel !== undefined) {
    const outcome = evaluateCelRule(raw, {
      object: operation === 'DELETE' ? null : object,
      oldObject,
      operation,
      // Unknown Namespace: leave it undefined, so the CEL evaluator builds one with just its name,
      // as Kyverno does without a cluster (cluster-scoped objects get null there).
      ...(namespace ? { namespaceObject: namespace.object } : {}),
    });
    return {
      status: outcome.status,
      message: outcome.status === 'pass' ? 'validation rule passed' : outcome.message,
    };
  }
  if (validate.podSecurity !== undefined) {
    if (operation === 'DELETE') return undefined; // Kyverno skips PSS checks on deletion
    if (raw.preconditions !== undefined) {
      const ctx: EvalContext = { ...base() };
      const skip = contextLoader(resource.values ?? {})(raw.context, ctx);
      if (skip) return { status: 'skip', message: skip };
      if (!evaluateConditions(raw.preconditions, ctx, 'lenient')) {
        return { status: 'skip', message: 'preconditions not met' };
      }
    }
    const outcome = evaluatePodSecurity(rule.name, validate.podSecurity, object);
    return { status: outcome.status, message: outcome.message };
  }
  if (validate.manifests !== undefined || validate.assert !== undefined) {
    return { status: 'skip', message: 'not evaluated offline: validate.manifests/assert' };
  }
  const values = resource.values ?? {};
  const ctx: EvalContext = { ...base() };
  return evaluateValidateRule(raw, { object, ctx, loadContext: contextLoader(values) });
}

const subjectCache = new WeakMap<Manifest, MatchSubject & { namespaces: Record<string, NamespaceInfo> }>();

/** Evaluates one policy against one resource: a result per rule that matches it. */
export function evaluatePolicyOnResource(
  policy: KyvernoPolicy,
  resource: ResourceUnderTest,
  options: EvaluateOptions = {},
): PolicyResult[] {
  const results: PolicyResult[] = [];
  const { manifest } = resource;
  if (policy.namespace && manifest.identity.namespace !== policy.namespace) return results;
  const valueOp = resource.values?.['request.operation'];
  const operation = (
    typeof valueOp === 'string' ? valueOp : (resource.operation ?? options.operation ?? 'CREATE')
  ) as AdmissionOperation;
  const namespaces = options.namespaces ?? {};
  let subject = subjectCache.get(manifest);
  if (!subject || subject.operation !== operation || subject.namespaces !== namespaces) {
    subject = { ...subjectOf(manifest, operation, namespaces), namespaces };
    subjectCache.set(manifest, subject);
  }
  const nsName =
    manifest.identity.kind === 'Namespace' ? manifest.identity.name : manifest.identity.namespace;
  const namespace = nsName ? namespaces[nsName] : undefined;
  let ctx: EvalContext | undefined;
  const base = () => {
    ctx ??= baseContext(resource, operation);
    return ctx;
  };
  for (const rule of policy.rules) {
    const kinds = matchableKinds(rule);
    if (kinds && !kinds.has(subject.kind)) continue;
    if (!matchRule(rule.raw, subject)) continue;
    const outcome = evaluateRule(rule, resource, operation, namespace, base);
    if (!outcome) continue;
    const line = (outcome.path && manifest.lineOf(outcome.path)) || manifest.line;
    const result: PolicyResult = {
      policy: policy.name,
      rule: rule.name,
      status: outcome.status,
      message: outcome.message,
      failureAction: rule.failureAction,
      resource: {
        apiVersion: String(manifest.object.apiVersion ?? ''),
        kind: manifest.identity.kind,
        namespace: manifest.identity.namespace,
        name: manifest.identity.name,
      },
      file: manifest.file,
      line,
      policyFile: policy.file,
    };
    if (rule.autogenOf) result.autogenOf = rule.autogenOf;
    const policyLine = policy.ruleLines[rule.name];
    if (policyLine) result.policyLine = policyLine;
    if (options.environment) result.environment = options.environment;
    results.push(result);
  }
  return results;
}

/** Namespaces (labels and objects) declared among the manifests. */
export function collectNamespaces(manifests: Manifest[]): Record<string, NamespaceInfo> {
  const out: Record<string, NamespaceInfo> = {};
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
