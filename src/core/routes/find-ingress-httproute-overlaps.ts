import { isWildcardHostname, wildcardCovers } from './intersect-hostnames.ts';
import { normalizePathPrefix } from './normalize-route-match.ts';
import type { Attachment } from './resolve-attachments.ts';
import { makeRouteFinding, type RouteFinding } from './route-finding.ts';
import type { IngressModel, IngressPathModel, RouteUniverse } from './route-universe.ts';

interface IngressEntry {
  ingress: IngressModel;
  path: IngressPathModel;
}

/** Prefix/ImplementationSpecific ~ PathPrefix, Exact ~ Exact. */
function ingressPathKey(path: IngressPathModel): string {
  return path.pathType === 'Exact' ? `Exact|${path.path}` : `PathPrefix|${normalizePathPrefix(path.path)}`;
}

/** A route's intersected hostname reaches Ingress host H: equal, a wildcard covering H, or any host. */
function routeHostReaches(routeHost: string, ingressHost: string): boolean {
  if (routeHost === '' || routeHost === ingressHost) return true;
  return isWildcardHostname(routeHost) && wildcardCovers(routeHost, ingressHost);
}

/**
 * Mid-migration overlap: an Ingress rule (host H, path P) and an attached HTTPRoute serving the same
 * URL. Which one answers depends on where DNS points. One finding per (HTTPRoute, Ingress) pair.
 */
export function findIngressHttpRouteOverlaps(
  universe: RouteUniverse,
  attachments: readonly Attachment[],
): RouteFinding[] {
  const byKey = new Map<string, IngressEntry[]>();
  for (const ingress of universe.ingresses) {
    for (const path of ingress.paths) {
      if (!path.host) continue;
      const key = ingressPathKey(path);
      const list = byKey.get(key);
      if (list) list.push({ ingress, path });
      else byKey.set(key, [{ ingress, path }]);
    }
  }
  if (byKey.size === 0) return [];
  const findings: RouteFinding[] = [];
  const seen = new Set<string>();
  for (const a of attachments) {
    if (a.route.kind !== 'HTTPRoute') continue;
    for (const rule of a.route.rules) {
      for (const match of rule.matches) {
        const http = match.http;
        if (!http || (http.pathType !== 'Exact' && http.pathType !== 'PathPrefix')) continue;
        const candidates = byKey.get(`${http.pathType}|${http.path}`);
        if (!candidates) continue;
        for (const { ingress, path } of candidates) {
          const key = `${a.route.id}|${ingress.id}`;
          if (seen.has(key)) continue;
          if (!a.hostnames.some((h) => routeHostReaches(h, path.host))) continue;
          seen.add(key);
          findings.push(
            makeRouteFinding(
              'ingress-httproute-overlap',
              [a.route.id, ingress.id],
              `${path.host}${path.path} (${http.pathType}) is served both by ${ingress.id} and by rule ${rule.index + 1} of ${a.route.id} on ${a.listener.gateway.id}: which one answers depends on where DNS for ${path.host} points; finish the migration by removing one.`,
              [match.location, path.location],
            ),
          );
        }
      }
    }
  }
  return findings;
}
