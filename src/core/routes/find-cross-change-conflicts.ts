import type { Manifest } from '../manifests/parse-manifests.ts';
import { formatResourceId, resourceKey } from '../manifests/resource-identity.ts';
import { analyzeRoutes } from './analyze-routes.ts';
import { type RouteFinding, routeFindingKey } from './route-finding.ts';

export interface CrossChangeConflict {
  otherId: string;
  /** Findings that exist only when both changes are merged, each involving objects of both. */
  findings: RouteFinding[];
}

/** Kinds whose change can alter route analysis; other objects are ignored when overlaying. */
export const ROUTE_RELEVANT_KINDS: ReadonlySet<string> = new Set([
  'Gateway',
  'HTTPRoute',
  'GRPCRoute',
  'TLSRoute',
  'TCPRoute',
  'UDPRoute',
  'ReferenceGrant',
  'Service',
  'Namespace',
  'Ingress',
  'IngressClass',
]);

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Route-relevant objects of `head` that are new or different compared with `target`. */
function changedObjects(target: ReadonlyMap<string, string>, head: readonly Manifest[]): Manifest[] {
  return head.filter(
    (m) =>
      ROUTE_RELEVANT_KINDS.has(m.identity.kind) &&
      target.get(resourceKey(m.identity)) !== canonical(m.object),
  );
}

/**
 * Route-relevant objects of `head` that are new or different compared with `target`: what a
 * merge request contributes to the route universe (what Tollgate keeps of it between reviews).
 */
export function listChangedRouteObjects(target: readonly Manifest[], head: readonly Manifest[]): Manifest[] {
  return changedObjects(new Map(target.map((m) => [resourceKey(m.identity), canonical(m.object)])), head);
}

/** `base` with `overlay` objects replacing (or adding to) the ones with the same identity. */
function overlay(base: readonly Manifest[], changes: readonly Manifest[]): Manifest[] {
  const replaced = new Set(changes.map((m) => resourceKey(m.identity)));
  return [...base.filter((m) => !replaced.has(resourceKey(m.identity))), ...changes];
}

/**
 * Conflicts between this merge request and each other open one against the same target branch:
 * findings of (my head + the other's changed route objects) that involve an object changed here and
 * one changed there, and that neither change produces on its own. Each other MR costs at most two
 * linear analyses; MRs that change no route-relevant object cost nothing. Deletions are not seen
 * (the inputs are manifests, not diffs).
 */
export function findCrossChangeConflicts(
  target: readonly Manifest[],
  mine: readonly Manifest[],
  others: readonly { id: string; manifests: readonly Manifest[] }[],
): CrossChangeConflict[] {
  const targetObjects = new Map(target.map((m) => [resourceKey(m.identity), canonical(m.object)]));
  const myChanged = new Set(changedObjects(targetObjects, mine).map((m) => formatResourceId(m.identity)));
  if (myChanged.size === 0) return [];
  let mineAlone: Set<string> | undefined;
  const results: CrossChangeConflict[] = [];
  for (const other of others) {
    const theirChanges = changedObjects(targetObjects, other.manifests);
    const theirChanged = new Set(theirChanges.map((m) => formatResourceId(m.identity)));
    if (theirChanged.size === 0) continue;
    mineAlone ??= new Set(analyzeRoutes(mine).map(routeFindingKey));
    const known = mineAlone;
    const candidates = analyzeRoutes(overlay(mine, theirChanges)).filter(
      (f) =>
        !known.has(routeFindingKey(f)) &&
        f.objects.some((id) => myChanged.has(id)) &&
        f.objects.some((id) => theirChanged.has(id)),
    );
    if (candidates.length === 0) continue;
    const theirsAlone = new Set(analyzeRoutes(overlay(target, theirChanges)).map(routeFindingKey));
    const findings = candidates.filter((f) => !theirsAlone.has(routeFindingKey(f)));
    if (findings.length > 0) results.push({ otherId: other.id, findings });
  }
  return results;
}
