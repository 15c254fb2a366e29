import { parse as parseYaml } from 'yaml';
import type { Finding } from '../findings/finding.ts';
import { type Manifest, parseManifests } from '../manifests/parse-manifests.ts';
import { collectNamespaces, evaluatePolicyOnResource, type NamespaceInfo } from './evaluate-policies.ts';
import { isJsonObject, type KyvernoPolicy } from './kyverno-policy.ts';
import { loadPolicies, type PolicyFile } from './load-policies.ts';
import type { PolicyResult } from './policy-result.ts';

export type ActualStatus = 'pass' | 'fail' | 'skip' | 'error' | 'excluded' | 'not found';

export interface KyvernoTestRow {
  policy: string;
  rule: string;
  /** As written in the test: `name` or `namespace/name`. */
  resource: string;
  kind: string;
  expected: string;
  actual: ActualStatus;
  /** Rule name that produced `actual` (may be `autogen-...`). */
  evaluatedRule?: string;
  message: string;
  ok: boolean;
}

export interface KyvernoTestInput {
  /** Path of the kyverno-test.yaml (for messages). */
  testPath: string;
  /** Its parsed content. */
  test: unknown;
  policyFiles: PolicyFile[];
  resourceFiles: PolicyFile[];
  valuesFile?: PolicyFile;
  /** Fail rows whose rule never matched the resource (Kyverno counts them as passing). */
  strict?: boolean;
}

export interface KyvernoTestReport {
  name: string;
  rows: KyvernoTestRow[];
  findings: Finding[];
  ok: boolean;
}

interface Values {
  global: Record<string, unknown>;
  perPolicy: Map<
    string,
    { values: Record<string, unknown>; resources: Map<string, Record<string, unknown>> }
  >;
  namespaces: Record<string, NamespaceInfo>;
}

function record(v: unknown): Record<string, unknown> {
  return isJsonObject(v) ? v : {};
}

function parseValues(file: PolicyFile | undefined): Values {
  const out: Values = { global: {}, perPolicy: new Map(), namespaces: {} };
  if (!file) return out;
  const doc = record(parseYaml(file.content));
  out.global = record(doc.globalValues);
  for (const p of Array.isArray(doc.policies) ? doc.policies : []) {
    if (!isJsonObject(p) || typeof p.name !== 'string') continue;
    const entry = { values: { ...record(p.values) }, resources: new Map<string, Record<string, unknown>>() };
    for (const r of Array.isArray(p.rules) ? p.rules : []) {
      if (isJsonObject(r)) Object.assign(entry.values, record(r.values));
    }
    for (const r of Array.isArray(p.resources) ? p.resources : []) {
      if (isJsonObject(r) && typeof r.name === 'string') entry.resources.set(r.name, record(r.values));
    }
    out.perPolicy.set(p.name, entry);
  }
  for (const ns of Array.isArray(doc.namespaceSelector) ? doc.namespaceSelector : []) {
    if (!isJsonObject(ns) || typeof ns.name !== 'string') continue;
    const labels: Record<string, string> = {};
    for (const [k, v] of Object.entries(record(ns.labels))) labels[k] = String(v);
    out.namespaces[ns.name] = { labels };
  }
  return out;
}

function resourcesOf(entry: Record<string, unknown>): string[] {
  if (Array.isArray(entry.resources)) return entry.resources.map(String);
  if (typeof entry.resource === 'string') return [entry.resource];
  return [];
}

function findResources(manifests: Manifest[], ref: string, kind: string): Manifest[] {
  const slash = ref.indexOf('/');
  const ns = slash >= 0 ? ref.slice(0, slash) : undefined;
  const name = slash >= 0 ? ref.slice(slash + 1) : ref;
  const byName = manifests.filter(
    (m) => m.identity.name === name && (ns === undefined || m.identity.namespace === ns),
  );
  const byKind = kind ? byName.filter((m) => m.identity.kind === kind) : [];
  return byKind.length > 0 ? byKind : byName;
}

function ruleMatches(result: PolicyResult, rule: string): boolean {
  return result.rule === rule || result.autogenOf === rule;
}

/** Like the Kyverno CLI, a namespaced resource without a namespace is placed in `default`. */
function withDefaultNamespace(m: Manifest): Manifest {
  const meta = isJsonObject(m.object.metadata) ? m.object.metadata : {};
  if (!m.identity.namespace || meta.namespace) return m;
  return { ...m, object: { ...m.object, metadata: { ...meta, namespace: m.identity.namespace } } };
}

/** Runs one `kyverno test` manifest (pure: the caller has read the files). */
export function runKyvernoTest(input: KyvernoTestInput): KyvernoTestReport {
  const test = record(input.test);
  const name = String(record(test.metadata).name ?? input.testPath);
  const loaded = loadPolicies(input.policyFiles);
  const findings: Finding[] = [...loaded.findings];
  const policies = new Map<string, KyvernoPolicy>(loaded.policies.map((p) => [p.name, p]));
  const manifests: Manifest[] = [];
  for (const f of input.resourceFiles) {
    const parsed = parseManifests(f.path, f.content);
    findings.push(...parsed.findings);
    manifests.push(...parsed.manifests.map(withDefaultNamespace));
  }
  let values: Values;
  try {
    values = parseValues(input.valuesFile);
  } catch (error) {
    values = { global: {}, perPolicy: new Map(), namespaces: {} };
    findings.push({
      check: 'policy',
      rule: 'invalid-values',
      severity: 'error',
      blocking: true,
      title: `Invalid values file ${input.valuesFile?.path}`,
      message: error instanceof Error ? error.message : String(error),
      location: { file: input.valuesFile?.path ?? input.testPath },
    });
  }
  const namespaces = { ...collectNamespaces(manifests), ...values.namespaces };
  const cache = new Map<string, PolicyResult[]>();
  const evaluate = (policy: KyvernoPolicy, m: Manifest): PolicyResult[] => {
    const key = `${policy.name}\u0000${manifests.indexOf(m)}`;
    let results = cache.get(key);
    if (!results) {
      const pv = values.perPolicy.get(policy.name);
      const resourceValues = pv?.resources.get(m.identity.name) ?? {};
      const merged = { ...values.global, ...(pv?.values ?? {}), ...resourceValues };
      results = evaluatePolicyOnResource(policy, { manifest: m, values: merged }, { namespaces });
      cache.set(key, results);
    }
    return results;
  };

  const rows: KyvernoTestRow[] = [];
  for (const entry of Array.isArray(test.results) ? test.results : []) {
    if (!isJsonObject(entry) || entry.isValidatingAdmissionPolicy === true) continue;
    const policyName = String(entry.policy ?? '');
    const ruleName = String(entry.rule ?? '');
    const kind = String(entry.kind ?? '');
    const expected = String(entry.result ?? entry.status ?? '');
    const policy = policies.get(policyName) ?? policies.get(policyName.split('/').pop() ?? '');
    for (const ref of resourcesOf(entry)) {
      const row: KyvernoTestRow = {
        policy: policyName,
        rule: ruleName,
        resource: ref,
        kind,
        expected,
        actual: 'not found',
        message: '',
        ok: false,
      };
      const candidates = findResources(manifests, ref, kind);
      if (!policy) row.message = `policy ${policyName} not found`;
      else if (candidates.length === 0) row.message = `resource ${ref} not found`;
      else {
        const outcomes = candidates.map((m) => evaluate(policy, m).find((r) => ruleMatches(r, ruleName)));
        const hit = outcomes.find((r) => r?.status === expected) ?? outcomes.find((r) => r) ?? undefined;
        if (hit) {
          row.actual = hit.status;
          row.evaluatedRule = hit.rule;
          row.message = hit.status === 'pass' ? '' : hit.message;
        } else {
          row.actual = 'excluded';
          row.message = `rule ${ruleName} does not match ${ref}`;
        }
      }
      row.ok = row.actual === expected || (row.actual === 'excluded' && !input.strict);
      rows.push(row);
    }
  }
  return { name, rows, findings, ok: rows.every((r) => r.ok) };
}
