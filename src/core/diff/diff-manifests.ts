import type { Manifest } from '../manifests/parse-manifests.ts';
import { formatResourceId, resourceKey } from '../manifests/resource-identity.ts';
import { diffObjects } from './diff-objects.ts';
import { formatUnifiedYamlDiff } from './format-unified-yaml-diff.ts';
import type { EnvironmentDiff, ResourceDiff } from './manifest-diff.ts';
import { deepEqual, maskSecretPair, stripNoise } from './normalize-for-diff.ts';
import { stripGeneratedHash } from './strip-generated-hash.ts';

/**
 * Objects by identity. When one render holds the same object in several files (the `default`
 * environment of a repository with `clusters/staging/apps.yaml` and `clusters/production/apps.yaml`),
 * each copy is keyed by its file too, so that neither hides the other: an edit of one copy shows.
 */
function indexByKey(manifests: readonly Manifest[], duplicated: ReadonlySet<string>): Map<string, Manifest> {
  const map = new Map<string, Manifest>();
  for (const m of manifests) {
    const id = resourceKey(m.identity);
    const key = duplicated.has(id) ? `${id}|${m.file}` : id;
    if (!map.has(key)) map.set(key, m);
  }
  return map;
}

/** Identities held by more than one object of a render. */
function duplicatedKeys(manifests: readonly Manifest[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const m of manifests) {
    const id = resourceKey(m.identity);
    if (seen.has(id)) out.push(id);
    seen.add(id);
  }
  return out;
}

const ORDER = { changed: 0, added: 1, removed: 2 };

/**
 * What changes between two renders of one environment: objects matched by identity (group, kind,
 * namespace, name), compared without cluster-written noise; field paths and a unified YAML diff for
 * each changed object. Secret values never appear (keys only, values masked).
 */
export function diffManifests(
  base: readonly Manifest[],
  head: readonly Manifest[],
  environment = 'default',
): EnvironmentDiff {
  const duplicated = new Set([...duplicatedKeys(base), ...duplicatedKeys(head)]);
  const before = indexByKey(base, duplicated);
  const after = indexByKey(head, duplicated);
  const resources: ResourceDiff[] = [];
  let unchanged = 0;
  pairRenamedGenerated(before, after);
  for (const [key, b] of before) {
    const a = after.get(key);
    const oldObject = stripNoise(b.object);
    if (!a) {
      const [masked] = maskSecretPair(oldObject, undefined);
      resources.push(describe(b, 'removed', [], formatUnifiedYamlDiff(masked, undefined)));
      continue;
    }
    const newObject = stripNoise(a.object);
    if (deepEqual(oldObject, newObject)) {
      unchanged++;
      continue;
    }
    const [maskedOld, maskedNew] = maskSecretPair(oldObject, newObject);
    resources.push(
      describe(a, 'changed', diffObjects(maskedOld, maskedNew), formatUnifiedYamlDiff(maskedOld, maskedNew)),
    );
  }
  for (const [key, a] of after) {
    if (before.has(key)) continue;
    const [, masked] = maskSecretPair(undefined, stripNoise(a.object));
    resources.push(describe(a, 'added', [], formatUnifiedYamlDiff(undefined, masked)));
  }
  resources.sort((x, y) => ORDER[x.change] - ORDER[y.change] || x.id.localeCompare(y.id));
  const count = (c: ResourceDiff['change']) => resources.filter((r) => r.change === c).length;
  return {
    environment,
    counts: { added: count('added'), changed: count('changed'), removed: count('removed'), unchanged },
    resources,
  };
}

/**
 * A generated ConfigMap/Secret whose content changed also changed its name (`app-config-<hash>`):
 * pair the removed and the added one so the reviewer sees what changed inside, not a removal and an
 * addition. Pairs are re-keyed in `before` under the head key.
 */
function pairRenamedGenerated(before: Map<string, Manifest>, after: Map<string, Manifest>): void {
  const stem = (m: Manifest) => {
    const stripped = stripGeneratedHash(m.identity.kind, m.identity.name);
    return stripped === undefined ? undefined : `${m.identity.kind}|${m.identity.namespace}|${stripped}`;
  };
  const removed = new Map<string, [string, Manifest][]>();
  for (const [key, m] of before) {
    const s = !after.has(key) ? stem(m) : undefined;
    if (s) removed.set(s, [...(removed.get(s) ?? []), [key, m]]);
  }
  for (const [key, m] of after) {
    const s = !before.has(key) ? stem(m) : undefined;
    const candidates = s ? removed.get(s) : undefined;
    if (candidates?.length !== 1) continue;
    const [oldKey, old] = candidates[0]!;
    before.delete(oldKey);
    before.set(key, old);
    removed.delete(s!);
  }
}

function describe(
  m: Manifest,
  change: ResourceDiff['change'],
  fields: ResourceDiff['fields'],
  unifiedDiff: string,
): ResourceDiff {
  const { group, kind, namespace, name } = m.identity;
  return {
    id: formatResourceId(m.identity),
    group,
    kind,
    namespace,
    name,
    change,
    file: m.file,
    line: m.line,
    fields,
    unifiedDiff,
  };
}

/** The per-environment diff of two sets of rendered environments (matched by environment name). */
export function diffEnvironments(
  base: readonly { environment: string; manifests: Manifest[] }[],
  head: readonly { environment: string; manifests: Manifest[] }[],
): EnvironmentDiff[] {
  return head.map((h) =>
    diffManifests(
      base.find((b) => b.environment === h.environment)?.manifests ?? [],
      h.manifests,
      h.environment,
    ),
  );
}
