import { createHash } from 'node:crypto';
import type { Manifest } from '../manifests/parse-manifests.ts';
import { resourceKey } from '../manifests/resource-identity.ts';
import type { NamespaceInfo } from './evaluate-policies.ts';

/** What policies must see of one environment's change. */
export interface ChangedManifests {
  /** Head objects that are new or differ from base (as policies see them). */
  head: Manifest[];
  /** Their base versions, for telling new findings from those already on base. */
  base: Manifest[];
  /** Head objects identical at base (object and namespace): their results could only repeat base's. */
  unchanged: number;
}

/** Digest of an object as a policy sees it: the object itself and its namespace's labels and object. */
function digestOf(manifest: Manifest, namespaces: Record<string, NamespaceInfo>): string {
  const ns = manifest.identity.kind === 'Namespace' ? manifest.identity.name : manifest.identity.namespace;
  return createHash('sha1')
    .update(JSON.stringify(manifest.object))
    .update('\0')
    .update(JSON.stringify(ns ? (namespaces[ns] ?? null) : null))
    .digest('hex');
}

/** Keys that tell objects apart in one render (the same object twice is two keys). */
function keysOf(manifests: readonly Manifest[]): string[] {
  const seen = new Map<string, number>();
  return manifests.map((m) => {
    const key = resourceKey(m.identity);
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    return `${key}#${n}`;
  });
}

/**
 * Splits one environment's head render into the objects a change made or altered and those it
 * left as they are at base. An unchanged object, under the same (base) policies and the same
 * namespace, gets the same results at head as at base: evaluating it tells nothing about this
 * change, and whatever it violates is already on base and never blocks.
 */
export function selectChangedManifests(
  base: readonly Manifest[],
  head: readonly Manifest[],
  namespaces: { base: Record<string, NamespaceInfo>; head: Record<string, NamespaceInfo> },
): ChangedManifests {
  const baseKeys = keysOf(base);
  const baseByKey = new Map(baseKeys.map((k, i) => [k, base[i]!]));
  const out: ChangedManifests = { head: [], base: [], unchanged: 0 };
  keysOf(head).forEach((key, i) => {
    const manifest = head[i]!;
    const before = baseByKey.get(key);
    if (before && digestOf(before, namespaces.base) === digestOf(manifest, namespaces.head)) {
      out.unchanged++;
      return;
    }
    out.head.push(manifest);
    if (before) out.base.push(before);
  });
  return out;
}
