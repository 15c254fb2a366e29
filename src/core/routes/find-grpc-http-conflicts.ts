import {
  CONTROLLER_TITLES,
  type ControllerProfile,
  resolveControllerProfile,
} from './controller-profiles.ts';
import { HostnameIndex } from './hostname-index.ts';
import { describeHostname } from './intersect-hostnames.ts';
import type { Attachment } from './resolve-attachments.ts';
import { makeRouteFinding, type RouteFinding } from './route-finding.ts';
import type { ListenerModel } from './route-universe.ts';

/**
 * An HTTPRoute and a GRPCRoute on the same listener with intersecting hostnames: the spec makes the
 * implementation accept only one of them. One finding per pair, found through a hostname index.
 */
export function findGrpcHttpConflicts(
  attachments: readonly Attachment[],
  profile: ControllerProfile = resolveControllerProfile(undefined),
): RouteFinding[] {
  const byListener = new Map<ListenerModel, { http: Attachment[]; grpc: Attachment[] }>();
  for (const a of attachments) {
    if (a.route.kind !== 'HTTPRoute' && a.route.kind !== 'GRPCRoute') continue;
    let entry = byListener.get(a.listener);
    if (!entry) {
      entry = { http: [], grpc: [] };
      byListener.set(a.listener, entry);
    }
    (a.route.kind === 'HTTPRoute' ? entry.http : entry.grpc).push(a);
  }
  const findings: RouteFinding[] = [];
  const seen = new Set<string>();
  for (const [listener, { http, grpc }] of byListener) {
    if (http.length === 0 || grpc.length === 0) continue;
    const index = new HostnameIndex<{ attachment: Attachment; hostname: string }>();
    for (const a of http)
      for (const hostname of a.hostnames) index.add(hostname, { attachment: a, hostname });
    for (const g of grpc) {
      for (const hostname of g.hostnames) {
        for (const hit of index.query(hostname)) {
          const h = hit.attachment.route;
          const key = `${h.id}|${g.route.id}`;
          if (seen.has(key)) continue;
          seen.add(key);
          const both = `${g.route.id} (${describeHostname(hostname)}) and ${h.id} (${describeHostname(hit.hostname)}) are both attached to listener ${listener.name} of ${listener.gateway.id} with intersecting hostnames`;
          const finding = makeRouteFinding(
            'grpc-http-hostname-conflict',
            [h.id, g.route.id],
            profile.servesGrpcAndHttpOnOneHostname
              ? `${both}. The spec lets an implementation accept only one of them; ${CONTROLLER_TITLES[profile.name!]} serves both (gRPC by content type), so this works there but not on every controller.`
              : `${both}; the spec requires the implementation to accept only one of them, so the other receives no traffic.`,
            [g.route.hostnamesLocation ?? g.route.location, h.hostnamesLocation ?? h.location],
          );
          findings.push(
            profile.servesGrpcAndHttpOnOneHostname ? { ...finding, severity: 'warning' } : finding,
          );
        }
      }
    }
  }
  return findings;
}
