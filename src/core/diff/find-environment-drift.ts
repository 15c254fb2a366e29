import type { Manifest } from '../manifests/parse-manifests.ts';
import { resourceKey } from '../manifests/resource-identity.ts';
import { isPlainObject } from '../render/apply-strategic-merge-patch.ts';
import { diffObjects, formatKeySegment } from './diff-objects.ts';
import type {
  DriftDifference,
  DriftReport,
  EnvironmentDiff,
  FieldChange,
  MissingResource,
  UnmatchedChange,
} from './manifest-diff.ts';
import { matchesFieldPattern, pathsOverlap } from './match-field-pattern.ts';
import { maskSecretPair, stripNoise } from './normalize-for-diff.ts';
import { stripGeneratedHash } from './strip-generated-hash.ts';

/**
 * Fields expected to differ between environments (extend with `.tollgate.yml` `drift.allow`):
 * namespaces, environment labels, scale (replicas, HPA bounds), container resources, the values
 * (not the presence) of env vars, hostnames, Secret contents. Image tags are NOT allowed by default:
 * add `**.containers[*].image` if environments run different versions on purpose.
 */
export const DEFAULT_DRIFT_ALLOW: readonly string[] = [
  'metadata.namespace',
  '**.labels.env',
  '**.labels.environment',
  '**.matchLabels.env',
  '**.matchLabels.environment',
  'Service:spec.selector.env',
  'Service:spec.selector.environment',
  'spec.replicas',
  'HorizontalPodAutoscaler:spec.minReplicas',
  'HorizontalPodAutoscaler:spec.maxReplicas',
  '**.containers[*].resources',
  '**.initContainers[*].resources',
  '**.env[*].value',
  'HTTPRoute:spec.hostnames',
  'GRPCRoute:spec.hostnames',
  'Ingress:spec.rules[*].host',
  'Ingress:spec.tls[*].hosts',
  'Gateway:spec.listeners[*].hostname',
  'Secret:data',
  'Secret:stringData',
];

export interface RenderedSet {
  environment: string;
  manifests: Manifest[];
  /** Left out of the comparison (the discovered `default` environment next to overlays). */
  excludeFromDrift?: boolean;
}

interface Entry {
  object: Record<string, unknown>;
  kind: string;
  fullKey: string;
}

/** Generated-name renames (`app-config-5f2…` → `app-config-<hash>`) of an environment. */
function hashRenames(manifests: readonly Manifest[]): Map<string, string> {
  const renames = new Map<string, string>();
  for (const m of manifests) {
    const stripped = stripGeneratedHash(m.identity.kind, m.identity.name);
    if (stripped) renames.set(m.identity.name, `${stripped}-<hash>`);
  }
  return renames;
}

function shortKey(m: Manifest, renames: ReadonlyMap<string, string>): string {
  return `${m.identity.group}|${m.identity.kind}|${renames.get(m.identity.name) ?? m.identity.name}`;
}

/**
 * Objects of an environment by cross-environment key: group, kind, name (namespaces differ
 * between environments by design); namespace too for the keys in `ambiguous` (some environment
 * has that object in several namespaces), decided once for all environments so keys agree.
 */
function indexEnvironment(
  manifests: readonly Manifest[],
  ambiguous: ReadonlySet<string>,
): Map<string, Entry> {
  const renames = hashRenames(manifests);
  const out = new Map<string, Entry>();
  for (const m of manifests) {
    const short = shortKey(m, renames);
    const key = ambiguous.has(short) ? resourceKey(m.identity) : short;
    if (out.has(key)) continue;
    const [masked] = maskSecretPair(stripNoise(m.object), undefined);
    out.set(key, {
      object: replaceNames(masked!, renames) as Record<string, unknown>,
      kind: m.identity.kind,
      fullKey: resourceKey(m.identity),
    });
  }
  return out;
}

function ambiguousKeys(environments: readonly RenderedSet[]): Set<string> {
  const ambiguous = new Set<string>();
  for (const e of environments) {
    const renames = hashRenames(e.manifests);
    const seen = new Set<string>();
    for (const m of e.manifests) {
      const short = shortKey(m, renames);
      if (seen.has(short)) ambiguous.add(short);
      seen.add(short);
    }
  }
  return ambiguous;
}

function replaceNames(value: unknown, renames: ReadonlyMap<string, string>): unknown {
  if (renames.size === 0) return value;
  if (typeof value === 'string') return renames.get(value) ?? value;
  if (Array.isArray(value)) return value.map((v) => replaceNames(v, renames));
  if (isPlainObject(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceNames(v, renames)]));
  return value;
}

function displayId(key: string): string {
  const parts = key.split('|');
  return parts.length === 4 ? `${parts[1]}/${parts[2]}/${parts[3]}` : `${parts[1]}/${parts[2]}`;
}

/**
 * Differences between environments (of the head renders).
 * - Missing objects are judged across ALL environments at once: an object present in some and
 *   absent from others is listed once, with where it is and where it is missing.
 * - Field differences are compared between CONSECUTIVE environments of the configured order only
 *   (dev → staging → production): the order is the promotion path, so what matters is what the
 *   next step would change; comparing dev with production directly would repeat every difference
 *   already shown on the way and blame production for dev's work in progress.
 * With `diffs` (each environment's base → head diff), also the changes made to a later environment
 * that leave it different from the one before it ("production changed without the same change in
 * staging"). Environments marked `excludeFromDrift` take no part.
 */
export function findEnvironmentDrift(
  allEnvironments: readonly RenderedSet[],
  options: {
    allow?: readonly string[];
    /** False: `allow` replaces the default allow-list instead of extending it. */
    defaults?: boolean;
    diffs?: readonly EnvironmentDiff[];
  } = {},
): DriftReport {
  const environments = allEnvironments.filter((e) => !e.excludeFromDrift);
  const allow = [...(options.defaults === false ? [] : DEFAULT_DRIFT_ALLOW), ...(options.allow ?? [])];
  // Objects the change adds, alters or removes, by cross-environment id (Kind/name).
  const touchedIds = new Set(
    (options.diffs ?? []).flatMap((d) =>
      d.resources.map((r) => {
        const stripped = stripGeneratedHash(r.kind, r.name);
        return `${r.kind}/${stripped ? `${stripped}-<hash>` : r.name}`;
      }),
    ),
  );
  const isTouched = (id: string) => {
    const parts = id.split('/');
    return touchedIds.has(`${parts[0]}/${parts.at(-1)}`);
  };
  const report: DriftReport = {
    environments: environments.map((e) => e.environment),
    allow,
    missing: [],
    differences: [],
    unmatchedChanges: [],
  };
  if (environments.length < 2) return report;
  const ambiguous = ambiguousKeys(environments);
  const indexes = environments.map((e) => indexEnvironment(e.manifests, ambiguous));
  const allKeys = [...new Set(indexes.flatMap((i) => [...i.keys()]))].sort();
  const isAllowed = (kind: string, path: string) => allow.some((p) => matchesFieldPattern(p, kind, path));
  for (const key of allKeys) {
    const presentIn = environments.filter((_, i) => indexes[i]!.has(key)).map((e) => e.environment);
    if (presentIn.length < environments.length) {
      const missing: MissingResource = {
        id: displayId(key),
        presentIn,
        missingFrom: environments.map((e) => e.environment).filter((n) => !presentIn.includes(n)),
        touched: isTouched(displayId(key)),
      };
      report.missing.push(missing);
    }
  }
  report.missing.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (let i = 1; i < environments.length; i++) {
    const [prev, cur] = [indexes[i - 1]!, indexes[i]!];
    const between: [string, string] = [environments[i - 1]!.environment, environments[i]!.environment];
    const changes = options.diffs?.find((d) => d.environment === between[1]);
    const changedByKey = new Map(
      changes?.resources.map((r) => [`${r.group}|${r.kind}|${r.namespace}|${r.name}`, r]) ?? [],
    );
    const prevChanges = options.diffs?.find((d) => d.environment === between[0]);
    const prevChangedByKey = new Map(
      prevChanges?.resources.map((r) => [`${r.group}|${r.kind}|${r.namespace}|${r.name}`, r]) ?? [],
    );
    for (const key of allKeys) {
      const a = prev.get(key);
      const b = cur.get(key);
      const change = b ? changedByKey.get(b.fullKey) : undefined;
      const prevChange = a ? prevChangedByKey.get(a.fullKey) : undefined;
      if (!a || !b) {
        if (b && !a && change?.change === 'added') {
          report.unmatchedChanges.push({
            id: displayId(key),
            environment: between[1],
            comparedTo: between[0],
            paths: ['*'],
            file: change.file,
            line: change.line,
          });
        }
        continue;
      }
      // A difference the change introduces or alters is shown even where the allow-list would
      // hide it (a replica count, an env value such as DOCUMENT_ROOT, an agent id).
      const changedPaths = [...(change?.fields ?? []), ...(prevChange?.fields ?? [])].map((f) => f.path);
      const byChange = (path: string) => changedPaths.some((p) => pathsOverlap(path, p));
      const fields = expandMaps(diffObjects(a.object, b.object)).filter(
        (f) => !isAllowed(b.kind, f.path) || byChange(f.path),
      );
      if (fields.length === 0) continue;
      const difference: DriftDifference = {
        id: displayId(key),
        between,
        fields,
        touched: Boolean(change || prevChange),
      };
      report.differences.push(difference);
      if (change?.change === 'changed') {
        // "Without the same change": the earlier environment changing an allowed (environment-
        // specific) field too, such as its own hostname, is the same change.
        const prevPaths = (prevChange?.fields ?? []).map((f) => f.path);
        const paths = change.fields
          .map((f) => f.path)
          .filter((p) => fields.some((f) => pathsOverlap(f.path, p)))
          .filter((p) => !(isAllowed(b.kind, p) && prevPaths.some((q) => pathsOverlap(p, q))));
        if (paths.length > 0) {
          const unmatched: UnmatchedChange = {
            id: difference.id,
            environment: between[1],
            comparedTo: between[0],
            paths,
            file: change.file,
            line: change.line,
          };
          report.unmatchedChanges.push(unmatched);
        }
      }
    }
  }
  return report;
}

/** Added or removed maps (not list items: their presence is the point) as one change per leaf key, so allow-list patterns can name the keys. */
function expandMaps(fields: FieldChange[]): FieldChange[] {
  return fields.flatMap((f) => {
    const value = f.change === 'added' ? f.after : f.change === 'removed' ? f.before : undefined;
    if (!isPlainObject(value) || Object.keys(value).length === 0 || f.path.endsWith(']')) return [f];
    return expandMaps(
      Object.entries(value).map(([k, v]) => ({
        path: f.path + formatKeySegment(k, false),
        change: f.change,
        ...(f.change === 'added' ? { after: v } : { before: v }),
      })),
    );
  });
}
