import { GATEWAY_GROUP, type RouteUniverse } from './route-universe.ts';

/**
 * A reference from a Gateway API object (`from`: its kind and namespace) to an object in another
 * namespace (`to`) is allowed only by a ReferenceGrant in the target's namespace that names both;
 * a reference inside one namespace needs none.
 */
export function isReferenceGranted(
  universe: RouteUniverse,
  from: { kind: string; namespace: string },
  to: { group: string; kind: string; namespace: string; name: string },
): boolean {
  if (to.namespace === from.namespace) return true;
  return (universe.referenceGrants.get(to.namespace) ?? []).some(
    (grant) =>
      grant.from.some(
        (f) => f.group === GATEWAY_GROUP && f.kind === from.kind && f.namespace === from.namespace,
      ) &&
      grant.to.some((t) => t.group === to.group && t.kind === to.kind && (!t.name || t.name === to.name)),
  );
}
