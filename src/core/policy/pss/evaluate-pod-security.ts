/**
 * Kyverno's `validate.podSecurity`: runs the Pod Security Standards checks of a level and version
 * on a Pod (or the pod template of a controller) and removes what `exclude` entries exempt, the way
 * Kyverno's pkg/pss does it (including its quirks: an exclusion without `images` is evaluated on a
 * copy of the pod whose containers are replaced by one empty container; a pinned version applies
 * every version of a check up to it).
 */
import { isJsonObject, type JsonObject } from '../kyverno-policy.ts';
import { matchWildcard } from '../match-wildcard.ts';
import {
  type PodView,
  PSS_CHECKS,
  PSS_CONTROL_CHECK_IDS,
  type PssCheckResult,
  type PssFieldError,
  type PssLevel,
} from './pod-security-checks.ts';

/** Newest Pod Security Standards version this engine knows (what `latest` means). */
export const LATEST_PSS_MINOR = 35;

export interface PodSecurityExclude {
  controlName: string;
  images: string[];
  restrictedField: string;
  values: string[];
}

export interface PodSecurityOutcome {
  status: 'pass' | 'fail' | 'error';
  message: string;
  checks: PssCheckResult[];
}

/** `latest`/'' → undefined (latest), `v1.24` → 24; throws on anything else. */
export function parsePssVersion(version: unknown): number | undefined {
  const v = typeof version === 'string' ? version.trim() : '';
  if (v === '' || v === 'latest') return undefined;
  const m = /^v1\.(0|[1-9]\d*)$/.exec(v);
  if (!m) throw new Error(`invalid pod security version ${JSON.stringify(version)}: want latest or v1.N`);
  return Number(m[1]);
}

function evaluateChecks(level: string, minor: number | undefined, pod: PodView): PssCheckResult[] {
  const results: PssCheckResult[] = [];
  for (const check of PSS_CHECKS) {
    if (level === 'baseline' && check.level !== 'baseline') continue;
    const versions =
      minor === undefined
        ? [check.versions[check.versions.length - 1]!]
        : check.versions.filter((v) => v.minor <= minor);
    for (const { check: run } of versions) {
      const r = run(pod);
      if (r) results.push(r);
    }
  }
  return results;
}

const CONTAINER_TYPES = new Set(['containers', 'initContainers', 'ephemeralContainers']);

interface ParsedField {
  field: string;
  /** Name of the container the field belongs to, when it is a container field. */
  container?: string;
}

/** `spec.containers[2].x` → `spec.containers[*].x` and the container's name (looked up in `pod`). */
function parseField(raw: string, pod: PodView | undefined): ParsedField {
  const field = raw.replace(/\d+/g, '*');
  if (!pod) return { field };
  const words = raw.match(/[a-zA-Z]+/g) ?? [];
  const type = words[1];
  if (!type || !CONTAINER_TYPES.has(type)) return { field };
  const index = Number(raw.match(/\d+/)?.[0] ?? '0');
  const list = pod.spec[type];
  const container = Array.isArray(list) && isJsonObject(list[index]) ? list[index] : {};
  return { field, container: String((container as JsonObject).name ?? '') };
}

function exempt(
  defaults: PssCheckResult[],
  excluded: PssCheckResult[],
  exclude: PodSecurityExclude,
  pod: PodView,
  matching: PodView | undefined,
): PssCheckResult[] {
  // Later results of the same check replace earlier ones (Kyverno keys them by check id).
  const byId = new Map<string, PssCheckResult>();
  for (const r of defaults) byId.set(r.id, { ...r, errors: [...r.errors] });
  const ids = PSS_CONTROL_CHECK_IDS[exclude.controlName] ?? [];
  for (const excludedResult of excluded) {
    if (!ids.includes(excludedResult.id)) continue;
    for (const excludedError of excludedResult.errors) {
      const ex = parseField(excludedError.field, matching);
      if (exclude.restrictedField && ex.field !== exclude.restrictedField) continue;
      const valuesOk =
        exclude.values.length === 0 ||
        excludedError.badValues.every((bad) => exclude.values.some((p) => matchWildcard(p, bad)));
      if (!valuesOk) continue;
      const target = byId.get(excludedResult.id);
      if (!target) continue;
      const idx = target.errors.findIndex((e) => {
        const d = parseField(e.field, matching ? pod : undefined);
        if (d.container !== undefined) return d.field === ex.field && d.container === ex.container;
        return d.field === ex.field;
      });
      if (idx >= 0) {
        // Swap-remove, as Kyverno does (it changes which error a later exclusion meets first).
        target.errors[idx] = target.errors[target.errors.length - 1]!;
        target.errors.pop();
      }
      if (target.errors.length === 0) byId.delete(excludedResult.id);
    }
  }
  return [...byId.values()];
}

function withoutContainers(pod: PodView): PodView {
  const spec: JsonObject = { ...pod.spec, containers: [{ name: 'fake' }] };
  delete spec.initContainers;
  delete spec.ephemeralContainers;
  return { metadata: pod.metadata, spec };
}

function matchingContainers(pod: PodView, images: string[]): PodView {
  const spec: JsonObject = {};
  for (const type of CONTAINER_TYPES) {
    const list = Array.isArray(pod.spec[type]) ? (pod.spec[type] as unknown[]) : [];
    const kept = list.filter(
      (c) => isJsonObject(c) && images.some((p) => matchWildcard(p, String(c.image ?? ''))),
    );
    if (kept.length) spec[type] = kept;
  }
  const meta = pod.metadata;
  return { metadata: { name: meta.name, namespace: meta.namespace }, spec };
}

/** Applies `exclude` entries to failed checks (also what a PolicyException's podSecurity does). */
export function applyPodSecurityExclusions(
  level: string,
  minor: number | undefined,
  excludes: PodSecurityExclude[],
  results: PssCheckResult[],
  pod: PodView,
): PssCheckResult[] {
  let current = results;
  for (const exclude of excludes) {
    if (exclude.images.length === 0) {
      current = exempt(
        current,
        evaluateChecks(level, minor, withoutContainers(pod)),
        exclude,
        pod,
        undefined,
      );
    } else {
      const matching = matchingContainers(pod, exclude.images);
      current = exempt(current, evaluateChecks(level, minor, matching), exclude, pod, matching);
    }
  }
  return current;
}

function formatError(e: PssFieldError, prefix: (f: string) => string): string {
  const field = prefix(e.field);
  if (e.type === 'required') return `${field}: Required value`;
  if (e.badValue !== undefined && e.badValue !== '') {
    return `${field} is forbidden, forbidden values found: ${e.badValue}`;
  }
  return `${field}: Forbidden`;
}

/** Kyverno's message body: `(Forbidden reason: R, field error list: [...])` per failed check. */
export function formatPodSecurityChecks(checks: PssCheckResult[], kind = 'Pod'): string {
  const prefix = (f: string): string => {
    let out = f;
    if (kind === 'CronJob') out = out.replaceAll('spec', 'spec.jobTemplate.spec.template.spec');
    else if (kind !== 'Pod') out = out.replaceAll('spec', 'spec.template.spec');
    return out.replaceAll('metadata', 'spec.template.metadata');
  };
  return checks
    .map(
      (c) =>
        `(Forbidden reason: ${c.reason}, field error list: [${c.errors.map((e) => formatError(e, prefix)).join(', ')}])`,
    )
    .join('');
}

const TEMPLATE_KINDS = new Set([
  'DaemonSet',
  'Deployment',
  'Job',
  'StatefulSet',
  'ReplicaSet',
  'ReplicationController',
]);

/** The pod metadata and spec Kyverno checks for a Pod, a Pod controller or a CronJob. */
export function podViewOf(resource: JsonObject): PodView | undefined {
  const kind = resource.kind;
  const o = (v: unknown): JsonObject => (isJsonObject(v) ? v : {});
  if (kind === 'Pod') return { metadata: o(resource.metadata), spec: o(resource.spec) };
  if (typeof kind === 'string' && TEMPLATE_KINDS.has(kind)) {
    const template = o(o(resource.spec).template);
    return { metadata: o(template.metadata), spec: o(template.spec) };
  }
  if (kind === 'CronJob') {
    const jobTemplate = o(o(resource.spec).jobTemplate);
    return { metadata: o(jobTemplate.metadata), spec: o(o(o(jobTemplate.spec).template).spec) };
  }
  return undefined;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : [];
}

export function parsePodSecurityExcludes(raw: unknown): PodSecurityExclude[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter(isJsonObject).map((e) => ({
    controlName: String(e.controlName ?? ''),
    images: strings(e.images),
    restrictedField: typeof e.restrictedField === 'string' ? e.restrictedField : '',
    values: strings(e.values),
  }));
}

/**
 * Evaluates a `validate.podSecurity` block (level, version, exclude) on a resource, with Kyverno's
 * messages: `Validation rule 'R' passed.` / `Validation rule 'R' failed. It violates PodSecurity
 * "level:version": (Forbidden reason: ..., field error list: [...])`.
 */
export function evaluatePodSecurity(
  ruleName: string,
  podSecurity: unknown,
  resource: JsonObject,
): PodSecurityOutcome {
  const ps = isJsonObject(podSecurity) ? podSecurity : {};
  const level = String(ps.level ?? '');
  const version = typeof ps.version === 'string' ? ps.version : '';
  let minor: number | undefined;
  try {
    if (!['baseline', 'restricted', 'privileged'].includes(level)) {
      throw new Error(`invalid pod security level ${JSON.stringify(ps.level)}`);
    }
    minor = parsePssVersion(version);
  } catch (error) {
    return {
      status: 'error',
      message: `failed to parse pod security api version: ${error instanceof Error ? error.message : error}`,
      checks: [],
    };
  }
  const pod = podViewOf(resource);
  if (!pod)
    return {
      status: 'error',
      message: 'Error while getting new resource: could not find correct resource type',
      checks: [],
    };
  const excludes = parsePodSecurityExcludes(ps.exclude);
  let checks = evaluateChecks(level as PssLevel, minor, pod);
  if (excludes.length > 0 && checks.length > 0)
    checks = applyPodSecurityExclusions(level, minor, excludes, checks, pod);
  if (checks.length === 0)
    return { status: 'pass', message: `Validation rule '${ruleName}' passed.`, checks };
  const kind = String(resource.kind ?? 'Pod');
  return {
    status: 'fail',
    message: `Validation rule '${ruleName}' failed. It violates PodSecurity "${level}:${version}": ${formatPodSecurityChecks(checks, kind)}`,
    checks,
  };
}
