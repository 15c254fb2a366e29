/**
 * A `kyverno test` values file (`kind: Values`, or the inline `values:` of a Test) and userinfo
 * file, read as the Kyverno CLI reads them (cmd/cli/kubectl-kyverno/apis/v1alpha1).
 */

import { readOwn } from '../safe-keys/read-own.ts';
import type { NamespaceInfo } from './evaluate-policies.ts';
import { isJsonObject } from './kyverno-policy.ts';
import type { RequestInfo } from './match-rule.ts';

export interface PolicyValues {
  /** `policies[].values` (not in Kyverno's schema, accepted for older files): every rule, every resource. */
  values: Record<string, unknown>;
  /** `policies[].resources[].values` by resource name. */
  resources: Map<string, Record<string, unknown>>;
  /** `policies[].rules[].values` by rule name: that rule only. */
  rules: Map<string, Record<string, unknown>>;
  /** `policies[].rules[].foreachValues` by rule name: per variable, a value per foreach element. */
  foreach: Map<string, Record<string, unknown[]>>;
}

export interface TestValues {
  /** `globalValues`: every policy and resource. */
  global: Record<string, unknown>;
  perPolicy: Map<string, PolicyValues>;
  /** `namespaceSelector` labels and `namespaces` objects, by namespace name. */
  namespaces: Record<string, NamespaceInfo>;
  /** Parts of the file Tollgate reads but does not use (`subresources`). */
  ignored: string[];
}

function record(v: unknown): Record<string, unknown> {
  return isJsonObject(v) ? v : {};
}

function labelsOf(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(record(v))) out[k] = String(x);
  return out;
}

export function emptyTestValues(): TestValues {
  return { global: {}, perPolicy: new Map(), namespaces: Object.create(null), ignored: [] };
}

/** Merges one values document (`kind: Values` or an inline `values:` spec) into `out`. */
export function addTestValues(out: TestValues, doc: unknown): TestValues {
  const spec = record(doc);
  Object.assign(out.global, record(spec.globalValues));
  for (const p of Array.isArray(spec.policies) ? spec.policies : []) {
    if (!isJsonObject(p) || typeof p.name !== 'string') continue;
    const entry: PolicyValues = out.perPolicy.get(p.name) ?? {
      values: {},
      resources: new Map(),
      rules: new Map(),
      foreach: new Map(),
    };
    Object.assign(entry.values, record(p.values));
    for (const r of Array.isArray(p.rules) ? p.rules : []) {
      if (!isJsonObject(r) || typeof r.name !== 'string') continue;
      entry.rules.set(r.name, { ...(entry.rules.get(r.name) ?? {}), ...record(r.values) });
      if (isJsonObject(r.foreachValues)) {
        const lists: Record<string, unknown[]> = Object.create(null) as Record<string, unknown[]>;
        for (const [k, v] of Object.entries(r.foreachValues)) if (Array.isArray(v)) lists[k] = v;
        entry.foreach.set(r.name, lists);
      }
    }
    for (const r of Array.isArray(p.resources) ? p.resources : []) {
      if (!isJsonObject(r) || typeof r.name !== 'string') continue;
      entry.resources.set(r.name, { ...(entry.resources.get(r.name) ?? {}), ...record(r.values) });
    }
    out.perPolicy.set(p.name, entry);
  }
  for (const ns of Array.isArray(spec.namespaceSelector) ? spec.namespaceSelector : []) {
    if (!isJsonObject(ns) || typeof ns.name !== 'string') continue;
    const known = readOwn(out.namespaces, ns.name) as NamespaceInfo | undefined;
    out.namespaces[ns.name] = { ...known, labels: labelsOf(ns.labels) };
  }
  for (const ns of Array.isArray(spec.namespaces) ? spec.namespaces : []) {
    const meta = isJsonObject(ns) ? record(ns.metadata) : {};
    if (typeof meta.name !== 'string') continue;
    const object = { apiVersion: 'v1', kind: 'Namespace', ...(ns as Record<string, unknown>) };
    out.namespaces[meta.name] = { labels: labelsOf(meta.labels), object };
  }
  if (Array.isArray(spec.subresources) && spec.subresources.length > 0) out.ignored.push('subresources');
  return out;
}

/** Values for one policy and resource: global, then policy-wide, then the resource's own. */
export function valuesFor(values: TestValues, policy: string, resource: string): Record<string, unknown> {
  const pv = values.perPolicy.get(policy);
  return { ...values.global, ...(pv?.values ?? {}), ...(pv?.resources.get(resource) ?? {}) };
}

/** `rules[].foreachValues` of a policy, by rule name. */
export function foreachValuesFor(
  values: TestValues,
  policy: string,
): Record<string, Record<string, unknown[]>> | undefined {
  const rules = values.perPolicy.get(policy)?.foreach;
  return rules && rules.size > 0 ? Object.fromEntries(rules) : undefined;
}

/** Rule-only values of a policy (`rules[].values`), by rule name. */
export function ruleValuesFor(
  values: TestValues,
  policy: string,
): Record<string, Record<string, unknown>> | undefined {
  const rules = values.perPolicy.get(policy)?.rules;
  return rules && rules.size > 0 ? Object.fromEntries(rules) : undefined;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : [];
}

/** A userinfo file (`kind: UserInfo`): roles, clusterRoles and the Kubernetes userInfo. */
export function parseRequestInfo(doc: unknown): RequestInfo {
  const d = record(doc);
  const user = record(d.userInfo);
  const extra: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(record(user.extra))) extra[k] = strings(v);
  return {
    roles: strings(d.roles),
    clusterRoles: strings(d.clusterRoles),
    userInfo: {
      ...(typeof user.username === 'string' ? { username: user.username } : {}),
      ...(typeof user.uid === 'string' ? { uid: user.uid } : {}),
      groups: strings(user.groups),
      extra,
    },
  };
}
