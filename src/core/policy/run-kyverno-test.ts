import type { Finding } from '../findings/finding.ts';
import { type Manifest, parseManifests } from '../manifests/parse-manifests.ts';
import { parsePlainYaml as parseYaml } from '../manifests/parse-plain-yaml.ts';
import { collectNamespaces, evaluatePolicyOnResource } from './evaluate-policies.ts';
import { isJsonObject, type KyvernoPolicy } from './kyverno-policy.ts';
import { loadPolicies, type PolicyFile } from './load-policies.ts';
import type { RequestInfo } from './match-rule.ts';
import {
  addTestValues,
  emptyTestValues,
  parseRequestInfo,
  ruleValuesFor,
  type TestValues,
  valuesFor,
} from './parse-kyverno-test-values.ts';
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
  /** The `userinfo` file (roles, clusterRoles, userInfo of the requester). */
  userInfoFile?: PolicyFile;
  /** Fail rows whose rule never matched the resource (Kyverno counts them as passing). */
  strict?: boolean;
}

export interface KyvernoTestReport {
  name: string;
  rows: KyvernoTestRow[];
  findings: Finding[];
  ok: boolean;
}

function record(v: unknown): Record<string, unknown> {
  return isJsonObject(v) ? v : {};
}

function resourcesOf(entry: Record<string, unknown>): string[] {
  if (Array.isArray(entry.resources)) return entry.resources.map(String);
  if (typeof entry.resource === 'string') return [entry.resource];
  return [];
}

/** Last segment of a result's `kind` (`apps/v1/Deployment` → `Deployment`). */
function kindName(kind: string): string {
  return kind.split('/').pop() ?? kind;
}

/**
 * Resources a result row names: `name` (any namespace) or `namespace/name`, narrowed to the row's
 * kind and deprecated `namespace` field when resources of that kind/namespace exist.
 */
function findResources(manifests: Manifest[], ref: string, kind: string, namespace: string): Manifest[] {
  const slash = ref.indexOf('/');
  const ns = slash >= 0 ? ref.slice(0, slash) : undefined;
  const name = slash >= 0 ? ref.slice(slash + 1) : ref;
  let found = manifests.filter(
    (m) => m.identity.name === name && (ns === undefined || m.identity.namespace === ns),
  );
  const narrow = (keep: (m: Manifest) => boolean) => {
    const kept = found.filter(keep);
    if (kept.length > 0) found = kept;
  };
  if (kind) narrow((m) => m.identity.kind === kindName(kind));
  if (namespace) narrow((m) => m.identity.namespace === namespace);
  return found;
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

function notice(file: string, title: string, message: string): Finding {
  return {
    check: 'policy',
    rule: 'kyverno-test',
    severity: 'notice',
    blocking: false,
    title,
    message,
    location: { file },
  };
}

function readValues(input: KyvernoTestInput, test: Record<string, unknown>, findings: Finding[]): TestValues {
  const values = emptyTestValues();
  try {
    if (input.valuesFile) addTestValues(values, parseYaml(input.valuesFile.content));
  } catch (error) {
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
  if (isJsonObject(test.values)) addTestValues(values, test.values);
  if (values.ignored.length > 0) {
    findings.push(
      notice(
        input.valuesFile?.path ?? input.testPath,
        'Values not used',
        `${values.ignored.join(', ')} in the values are not used by Tollgate's engine`,
      ),
    );
  }
  return values;
}

function readRequestInfo(input: KyvernoTestInput, findings: Finding[]): RequestInfo | undefined {
  if (!input.userInfoFile) return undefined;
  try {
    return parseRequestInfo(parseYaml(input.userInfoFile.content));
  } catch (error) {
    findings.push({
      check: 'policy',
      rule: 'invalid-userinfo',
      severity: 'error',
      blocking: true,
      title: `Invalid userinfo file ${input.userInfoFile.path}`,
      message: error instanceof Error ? error.message : String(error),
      location: { file: input.userInfoFile.path },
    });
    return undefined;
  }
}

/** Finds a policy by `name` or, for a namespaced Policy, `namespace/name`. */
function findPolicy(policies: KyvernoPolicy[], ref: string): KyvernoPolicy | undefined {
  const slash = ref.indexOf('/');
  if (slash < 0) return policies.find((p) => p.name === ref);
  const [ns, name] = [ref.slice(0, slash), ref.slice(slash + 1)];
  return policies.find((p) => p.name === name && p.namespace === ns) ?? policies.find((p) => p.name === name);
}

const UNSUPPORTED_ROWS = [
  'isValidatingAdmissionPolicy',
  'isValidatingPolicy',
  'isMutatingPolicy',
  'isGeneratingPolicy',
  'isImageValidatingPolicy',
  'isDeletingPolicy',
];

/** Runs one `kyverno test` manifest (pure: the caller has read the files). */
export function runKyvernoTest(input: KyvernoTestInput): KyvernoTestReport {
  const test = record(input.test);
  const name = String(record(test.metadata).name ?? test.name ?? input.testPath);
  const loaded = loadPolicies(input.policyFiles);
  const findings: Finding[] = [...loaded.findings];
  const manifests: Manifest[] = [];
  for (const f of input.resourceFiles) {
    const parsed = parseManifests(f.path, f.content);
    findings.push(...parsed.findings);
    manifests.push(...parsed.manifests.map(withDefaultNamespace));
  }
  const values = readValues(input, test, findings);
  const requestInfo = readRequestInfo(input, findings);
  const namespaces = { ...collectNamespaces(manifests), ...values.namespaces };
  const options = requestInfo ? { namespaces, requestInfo } : { namespaces };
  const cache = new Map<string, PolicyResult[]>();
  const evaluate = (policy: KyvernoPolicy, m: Manifest): PolicyResult[] => {
    const key = `${loaded.policies.indexOf(policy)}\u0000${manifests.indexOf(m)}`;
    let results = cache.get(key);
    if (!results) {
      const ruleValues = ruleValuesFor(values, policy.name);
      const resource = {
        manifest: m,
        values: valuesFor(values, policy.name, m.identity.name),
        ...(ruleValues ? { ruleValues } : {}),
      };
      results = evaluatePolicyOnResource(policy, resource, options);
      cache.set(key, results);
    }
    return results;
  };

  const rows: KyvernoTestRow[] = [];
  const skippedKinds = new Set<string>();
  for (const entry of Array.isArray(test.results) ? test.results : []) {
    if (!isJsonObject(entry)) continue;
    const unsupported = UNSUPPORTED_ROWS.find((k) => entry[k] === true);
    if (unsupported) {
      skippedKinds.add(unsupported);
      continue;
    }
    const policyName = String(entry.policy ?? '');
    const ruleName = String(entry.rule ?? '');
    const kind = String(entry.kind ?? '');
    const expected = String(entry.result ?? entry.status ?? '');
    const namespace = typeof entry.namespace === 'string' ? entry.namespace : '';
    const policy = findPolicy(loaded.policies, policyName);
    const compared = ['patchedResource', 'generatedResource', 'cloneSourceResource'].filter(
      (k) => typeof entry[k] === 'string' && entry[k],
    );
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
      const candidates = findResources(manifests, ref, kind, namespace);
      if (!policy) row.message = `policy ${policyName} not found`;
      else if (candidates.length === 0) row.message = `resource ${ref} not found`;
      else {
        // As the Kyverno CLI: every resource the row names must give the expected result.
        const hits = candidates.flatMap((m) => evaluate(policy, m).filter((r) => ruleMatches(r, ruleName)));
        const hit = hits.find((r) => r.status !== expected) ?? hits[0];
        if (hit) {
          row.actual = hit.status;
          row.evaluatedRule = hit.rule;
          row.message = hit.status === 'pass' ? '' : hit.message;
        } else {
          row.actual = 'excluded';
          row.message = `rule ${ruleName} does not match ${ref}`;
        }
      }
      if (compared.length > 0) {
        const note = `${compared.join(', ')} not compared: Tollgate evaluates validate rules only`;
        row.message = row.message ? `${row.message}; ${note}` : note;
      }
      row.ok = row.actual === expected || (row.actual === 'excluded' && !input.strict);
      rows.push(row);
    }
  }
  if (skippedKinds.size > 0) {
    findings.push(
      notice(
        input.testPath,
        'Results not checked',
        `results with ${[...skippedKinds].join(', ')} are not checked: Tollgate evaluates Kyverno ClusterPolicy/Policy only`,
      ),
    );
  }
  if (Array.isArray(test.checks) && test.checks.length > 0) {
    findings.push(notice(input.testPath, 'Checks not run', '`checks` assertions are not run by Tollgate'));
  }
  return { name, rows, findings, ok: rows.every((r) => r.ok) };
}
