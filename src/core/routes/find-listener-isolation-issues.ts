import { hostnameMatchesHost, hostnameSpecificity, isWildcardHostname } from './intersect-hostnames.ts';
import type { Attachment } from './resolve-attachments.ts';
import { makeRouteFinding, type RouteFinding } from './route-finding.ts';
import type { ListenerModel } from './route-universe.ts';

/** The listener a request for `host` lands on among those sharing `listener`'s port and protocol. */
function owningListener(listener: ListenerModel, host: string): ListenerModel | undefined {
  let best: ListenerModel | undefined;
  for (const l of listener.gateway.listeners) {
    if (l.port !== listener.port || l.protocol !== listener.protocol) continue;
    if (!hostnameMatchesHost(l.hostname, host)) continue;
    if (!best || hostnameSpecificity(l.hostname) > hostnameSpecificity(best.hostname)) best = l;
  }
  return best;
}

/**
 * Listener isolation: a Route on a wildcard/empty-hostname listener whose hostnames there are all
 * precise and each owned by a more specific listener (same Gateway, port, protocol) that the Route is
 * not attached to never receives a request. One finding per (Gateway, Route).
 */
export function findListenerIsolationIssues(attachments: readonly Attachment[]): RouteFinding[] {
  const attached = new Set(
    attachments.map((a) => `${a.route.id}|${a.listener.gateway.id}|${a.listener.index}`),
  );
  const findings: RouteFinding[] = [];
  const seen = new Set<string>();
  for (const a of attachments) {
    const { listener, route } = a;
    if (listener.hostname !== '' && !isWildcardHostname(listener.hostname)) continue;
    if (a.hostnames.some((h) => h === '' || isWildcardHostname(h))) continue;
    const owners = a.hostnames.map((h) => owningListener(listener, h));
    const unreachable = owners.every(
      (o) => o !== undefined && o !== listener && !attached.has(`${route.id}|${o.gateway.id}|${o.index}`),
    );
    if (!unreachable || owners.length === 0) continue;
    const key = `${listener.gateway.id}|${route.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const detail = a.hostnames.map((h, i) => `${h} always lands on listener ${owners[i]!.name}`).join(', ');
    findings.push(
      makeRouteFinding(
        'listener-isolation-unreachable',
        [listener.gateway.id, route.id],
        `${route.id} is attached to listener ${listener.name} (${listener.hostname || 'any host'}) of ${listener.gateway.id}, but ${detail}, to which the route is not attached: under listener isolation its requests never reach it (404).`,
        [route.hostnamesLocation ?? route.location, listener.location],
      ),
    );
  }
  return findings;
}
