import type { Finding } from '../findings/finding.ts';
import { type Manifest, parseManifests } from '../manifests/parse-manifests.ts';
import { parsePlainYaml as parseYaml } from '../manifests/parse-plain-yaml.ts';
import { type ClusterMocks, readClusterMocks } from './cel/register-cluster-libraries.ts';
import { loadCelPolicies } from './cel-policies/load-cel-policy.ts';
import { describeDataDifference } from './describe-data-difference.ts';
import { collectNamespaces } from './evaluate-policies.ts';
import { isJsonObject, type JsonObject, type KyvernoPolicy } from './kyverno-policy.ts';
import { loadPolicies, type PolicyFile } from './load-policies.ts';
import type { RequestInfo } from './match-rule.ts';
import {
  addTestValues,
  emptyTestValues,
  parseRequestInfo,
  type TestValues,
} from './parse-kyverno-test-values.ts';
import { readPolicyExceptions } from './policy-exception.ts';
import type { PolicyResult } from './policy-result.ts';
import { celKey, classicKey, createAdmissionPipeline } from './run-admission-pipeline.ts';

export type ActualStatus =
  | 'pass'
  | 'fail'
  | 'skip'
  | 'error'
  | 'warn'
  | 'excluded'
  | 'not found'
  | 'not checked';

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
  /** The test's `exceptions` files (PolicyExceptions). */
  exceptionFiles?: PolicyFile[];
  /** The test's `context` file (mocked cluster resources and image metadata). */
  contextFile?: PolicyFile;
  /** Files the results name to compare with (patchedResource, generatedResource, cloneSourceResource), path as written. */
  comparedFiles?: PolicyFile[];
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
  return rule === '' || result.rule === rule || result.autogenOf === rule;
}

function firstString(...values: unknown[]): string | undefined {
  return values.find((v): v is string => typeof v === 'string' && v !== '');
}

function readMocks(input: KyvernoTestInput, findings: Finding[]): ClusterMocks | undefined {
  if (!input.contextFile) return undefined;
  try {
    return readClusterMocks(parseYaml(input.contextFile.content));
  } catch (error) {
    findings.push({
      check: 'policy',
      rule: 'invalid-context',
      severity: 'error',
      blocking: true,
      title: `Invalid context file ${input.contextFile.path}`,
      message: error instanceof Error ? error.message : String(error),
      location: { file: input.contextFile.path },
    });
    return undefined;
  }
}

/** Objects of each compared file, by the path the test wrote. */
function indexComparedFiles(files: PolicyFile[]): Map<string, JsonObject[] | string> {
  const out = new Map<string, JsonObject[] | string>();
  for (const f of files) {
    const parsed = parseManifests(f.path, f.content);
    const bad = parsed.findings.find((x) => x.blocking);
    out.set(f.path, bad ? bad.message : parsed.manifests.map((m) => m.object));
  }
  return out;
}

function metaOf(o: JsonObject): JsonObject {
  return isJsonObject(o.metadata) ? o.metadata : {};
}

function sameObject(a: JsonObject, b: JsonObject): boolean {
  return (
    a.kind === b.kind &&
    metaOf(a).name === metaOf(b).name &&
    (metaOf(a).namespace ?? '') === (metaOf(b).namespace ?? '')
  );
}

/**
 * Compares a patchedResource/generatedResource file with what the engine produced, as data.
 * The expected object is the file's document with the resource's kind, name and namespace
 * (the only one when the file holds one); empty maps, lists and nulls compare equal to absent.
 */
function compareWithFile(
  files: Map<string, JsonObject[] | string>,
  ref: string,
  label: string,
  resource: Manifest | undefined,
  actual: JsonObject[],
): string[] {
  const docs = files.get(ref);
  if (docs === undefined) return [`${label} ${ref} could not be read`];
  if (typeof docs === 'string') return [`${label} ${ref}: ${docs}`];
  if (resource) {
    const object = actual[0]!;
    const withNs = (o: JsonObject) =>
      resource.identity.namespace && !metaOf(o).namespace
        ? { ...o, metadata: { ...metaOf(o), namespace: resource.identity.namespace } }
        : o;
    const expected = docs.length === 1 ? docs[0]! : docs.find((d) => sameObject(withNs(d), object));
    if (!expected)
      return [`${label} ${ref} has no document for ${resource.identity.kind}/${resource.identity.name}`];
    const diff = describeDataDifference(withNs(expected), object);
    return diff ? [`${label} ${ref} differs from the mutated object: ${diff}`] : [];
  }
  const problems: string[] = [];
  for (const expected of docs) {
    const found = actual.find((a) => sameObject(a, expected));
    if (!found) {
      problems.push(
        `${label} ${ref}: ${String(expected.kind)}/${String(metaOf(expected).name)} was not generated${actual.length ? ` (generated: ${actual.map((a) => `${String(a.kind)}/${String(metaOf(a).name)}`).join(', ')})` : ''}`,
      );
      continue;
    }
    const diff = describeDataDifference(expected, found);
    if (diff) problems.push(`${label} ${ref} differs from the generated object: ${diff}`);
  }
  return problems;
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

/** Result rows of kinds Tollgate does not evaluate: they fail, with the reason (fail closed). */
const UNSUPPORTED_ROWS: Record<string, string> = {
  isimagevalidatingpolicy: 'ImageValidatingPolicy verifies image signatures, which needs registries',
  isdeletingpolicy: 'DeletingPolicy runs on a schedule against a cluster',
};
const CEL_ROWS = [
  'isvalidatingpolicy',
  'isvalidatingadmissionpolicy',
  'ismutatingpolicy',
  'isgeneratingpolicy',
];

/**
 * A result entry with its keys lower-cased: the Kyverno CLI decodes YAML into Go structs, whose
 * JSON field matching ignores case (`isMUtatingPolicy` is `isMutatingPolicy`).
 */
function foldKeys(entry: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of Object.entries(entry)) out[k.toLowerCase()] = v;
  return out;
}

/** Runs one `kyverno test` manifest (pure: the caller has read the files). */
export function runKyvernoTest(input: KyvernoTestInput): KyvernoTestReport {
  const test = record(input.test);
  const name = String(record(test.metadata).name ?? test.name ?? input.testPath);
  const loaded = loadPolicies(input.policyFiles);
  const findings: Finding[] = [...loaded.findings];
  const celLoaded = loadCelPolicies(
    input.policyFiles.flatMap((f) => parseManifests(f.path, f.content).manifests),
  );
  findings.push(...celLoaded.findings);
  const manifests: Manifest[] = [];
  for (const f of input.resourceFiles) {
    const parsed = parseManifests(f.path, f.content);
    findings.push(...parsed.findings);
    manifests.push(...parsed.manifests.map(withDefaultNamespace));
  }
  const values = readValues(input, test, findings);
  const requestInfo = readRequestInfo(input, findings);
  const mocks = readMocks(input, findings);
  const namespaces = { ...collectNamespaces(manifests), ...values.namespaces };
  const compared = indexComparedFiles(input.comparedFiles ?? []);
  // Clone sources the rows name stand in for the cluster objects generate rules clone.
  const cloneSources = (Array.isArray(test.results) ? test.results : []).flatMap((r) => {
    const ref = isJsonObject(r) ? firstString(foldKeys(r).clonesourceresource) : undefined;
    const docs = ref ? compared.get(ref) : undefined;
    return Array.isArray(docs) ? docs : [];
  });
  const exceptions = readPolicyExceptions(
    (input.exceptionFiles ?? []).flatMap((f) => parseManifests(f.path, f.content).manifests),
  );
  const options = {
    namespaces,
    ...(exceptions.length ? { exceptions } : {}),
    ...(requestInfo ? { requestInfo } : {}),
    ...(cloneSources.length ? { cloneSources } : {}),
  };
  const pipeline = createAdmissionPipeline({
    policies: loaded.policies,
    celPolicies: celLoaded.policies,
    options,
    values,
    ...(mocks ? { mocks } : {}),
    paramObjects: [...manifests.map((m) => m.object), ...(mocks?.resources ?? [])],
  });

  const rows: KyvernoTestRow[] = [];
  for (const written of Array.isArray(test.results) ? test.results : []) {
    if (!isJsonObject(written)) continue;
    const entry = foldKeys(written);
    const policyName = String(entry.policy ?? '');
    const ruleName = String(entry.rule ?? '');
    const kind = String(entry.kind ?? '');
    const expected = String(entry.result ?? entry.status ?? '');
    const namespace = typeof entry.namespace === 'string' ? entry.namespace : '';
    const unsupported = Object.keys(UNSUPPORTED_ROWS).find((k) => entry[k] === true);
    const celRow = CEL_ROWS.some((k) => entry[k] === true);
    const policy = unsupported ? undefined : findPolicy(loaded.policies, policyName);
    const celPolicy = unsupported ? undefined : celLoaded.policies.find((p) => p.name === policyName);
    const patchedRef = firstString(entry.patchedresources, entry.patchedresource);
    const generatedRef = firstString(entry.generatedresource, entry.generatedresources);
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
      rows.push(row);
      if (unsupported) {
        row.actual = 'not checked';
        row.message = `not checked: ${UNSUPPORTED_ROWS[unsupported]}`;
        continue;
      }
      const candidates = findResources(manifests, ref, kind, namespace);
      const usable = celRow || !policy ? celPolicy : undefined;
      if (!policy && !usable) {
        row.message = `policy ${policyName} not found`;
        continue;
      }
      if (candidates.length === 0) {
        row.message = `resource ${ref} not found`;
        continue;
      }
      // As the Kyverno CLI: every resource the row names must give the expected result.
      const runs = candidates.map((m) => pipeline.run(m));
      const hits = runs.flatMap((r) =>
        (usable ? r.celResults(usable) : r.results(policy!)).filter((x) => ruleMatches(x, ruleName)),
      );
      const hit = hits.find((r) => r.status !== expected) ?? hits[0];
      if (hit && hit.status === 'skip' && /^needs a cluster/.test(hit.message)) {
        // Strict results: what cannot be evaluated offline fails the row, whatever was expected.
        row.actual = 'not checked';
        row.evaluatedRule = hit.rule;
        row.message = hit.message;
      } else if (hit) {
        // A policy annotated `policies.kyverno.io/scored: "false"` reports failures as warnings.
        const unscored = policy && !usable && policy.annotations['policies.kyverno.io/scored'] === 'false';
        row.actual = hit.status === 'fail' && unscored ? 'warn' : hit.status;
        row.evaluatedRule = hit.rule;
        row.message = hit.status === 'pass' ? '' : hit.message;
      } else {
        row.actual = 'excluded';
        row.message = ruleName
          ? `rule ${ruleName} does not match ${ref}`
          : `policy ${policyName} does not match ${ref}`;
      }
      const key = usable ? celKey(usable) : classicKey(policy!);
      const problems: string[] = [];
      if (patchedRef) {
        for (const [i, r] of runs.entries()) {
          const actual = r.patchedBy(key) ?? candidates[i]!.object;
          problems.push(
            ...compareWithFile(compared, patchedRef, 'patchedResource', candidates[i]!, [actual]),
          );
        }
      }
      if (generatedRef) {
        const generated = runs.flatMap((r) => r.generatedBy(key));
        problems.push(...compareWithFile(compared, generatedRef, 'generatedResource', undefined, generated));
      }
      if (problems.length > 0) row.message = [row.message, ...problems].filter(Boolean).join('; ');
      const resultOk = row.actual === expected || (row.actual === 'excluded' && !input.strict);
      row.ok = resultOk && problems.length === 0;
    }
  }
  if (rows.length === 0) {
    // Nothing to compare: still run every policy on every resource, so a policy that cannot be
    // evaluated is reported; the test itself does not pass (fail closed on an empty test).
    for (const m of manifests) {
      const run = pipeline.run(m);
      const errors = [
        ...loaded.policies.flatMap((p) => run.results(p)),
        ...celLoaded.policies.flatMap((p) => run.celResults(p)),
      ].filter((r) => r.status === 'error');
      for (const r of errors) {
        findings.push({
          check: 'policy',
          rule: 'kyverno-test',
          severity: 'error',
          blocking: true,
          title: `Policy ${r.policy} cannot be evaluated on ${m.identity.kind}/${m.identity.name}`,
          message: `${r.policy}/${r.rule} on ${m.identity.kind}/${m.identity.name}: ${r.message}`,
          location: { file: m.file, line: m.line },
        });
      }
    }
    findings.push(notice(input.testPath, 'No results', 'the test declares no results: nothing was compared'));
  }
  if (Array.isArray(test.checks) && test.checks.length > 0) {
    findings.push(notice(input.testPath, 'Checks not run', '`checks` assertions are not run by Tollgate'));
  }
  const blocked = findings.some((f) => f.blocking);
  return { name, rows, findings, ok: !blocked && rows.length > 0 && rows.every((r) => r.ok) };
}
