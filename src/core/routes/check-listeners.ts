import { describeHostname } from './intersect-hostnames.ts';
import { isReferenceGranted } from './is-reference-granted.ts';
import { isKnownProtocol } from './read-gateway.ts';
import { makeRouteFinding, type RouteFinding } from './route-finding.ts';
import type { CertificateRefModel, GatewayModel, ListenerModel, RouteUniverse } from './route-universe.ts';

/** Protocols carried on TCP: two of them on one port of a Gateway conflict (HTTPS+TLS excepted). */
const TCP_CARRIED = new Set(['HTTP', 'HTTPS', 'TLS', 'TCP']);

function protocolsConflict(a: string, b: string): boolean {
  if (a === b || !TCP_CARRIED.has(a) || !TCP_CARRIED.has(b)) return false;
  return !((a === 'HTTPS' && b === 'TLS') || (a === 'TLS' && b === 'HTTPS'));
}

function hostnameConflicts(gateway: GatewayModel): ListenerModel[][] {
  const groups = new Map<string, ListenerModel[]>();
  for (const l of gateway.listeners) {
    if (l.port === undefined) continue;
    const key = `${l.port}|${l.protocol}|${l.hostname}`;
    groups.set(key, [...(groups.get(key) ?? []), l]);
  }
  return [...groups.values()].filter((g) => g.length > 1);
}

function protocolConflicts(gateway: GatewayModel): [ListenerModel, ListenerModel][] {
  const byPort = new Map<number, ListenerModel[]>();
  for (const l of gateway.listeners) {
    if (l.port !== undefined) byPort.set(l.port, [...(byPort.get(l.port) ?? []), l]);
  }
  const pairs: [ListenerModel, ListenerModel][] = [];
  for (const listeners of byPort.values()) {
    const firstByProtocol = new Map<string, ListenerModel>();
    for (const l of listeners) if (!firstByProtocol.has(l.protocol)) firstByProtocol.set(l.protocol, l);
    const distinct = [...firstByProtocol.values()];
    for (let i = 0; i < distinct.length; i++) {
      for (let j = i + 1; j < distinct.length; j++) {
        if (protocolsConflict(distinct[i]!.protocol, distinct[j]!.protocol))
          pairs.push([distinct[i]!, distinct[j]!]);
      }
    }
  }
  return pairs;
}

/** A ReferenceGrant in the Secret's namespace must admit Gateways from the Gateway's namespace. */
function isCertificateRefPermitted(
  gateway: GatewayModel,
  ref: CertificateRefModel,
  universe: RouteUniverse,
): boolean {
  return isReferenceGranted(universe, { kind: 'Gateway', namespace: gateway.namespace }, ref);
}

/**
 * The listener conditions the spec defines for one listener: an unknown protocol
 * (Accepted=False, UnsupportedProtocol), allowedRoutes.kinds the protocol cannot carry
 * (ResolvedRefs=False, InvalidRouteKinds), a certificate in another namespace without a
 * ReferenceGrant (ResolvedRefs=False, RefNotPermitted: the listener is not programmed).
 */
function checkListenerConditions(
  gateway: GatewayModel,
  listener: ListenerModel,
  universe: RouteUniverse,
): RouteFinding[] {
  const findings: RouteFinding[] = [];
  if (listener.protocol && !isKnownProtocol(listener.protocol)) {
    findings.push(
      makeRouteFinding(
        'listener-unsupported-protocol',
        [gateway.id],
        `Listener ${listener.name} of ${gateway.id} uses protocol ${listener.protocol}, which is none of HTTP, HTTPS, TLS, TCP, UDP nor a domain-prefixed protocol: it is not accepted (UnsupportedProtocol) and serves nothing.`,
        [listener.location],
      ),
    );
    return findings;
  }
  if (listener.invalidKinds.length > 0) {
    const kept = [...listener.allowedKinds].join(', ') || 'no route kind';
    findings.push(
      makeRouteFinding(
        'listener-invalid-route-kinds',
        [gateway.id],
        `Listener ${listener.name} (${listener.protocol}) of ${gateway.id} lists ${listener.invalidKinds.join(', ')} in allowedRoutes.kinds, which ${listener.protocol} cannot carry: the listener reports ResolvedRefs=False (InvalidRouteKinds) and admits only ${kept}.`,
        [listener.location],
      ),
    );
  }
  for (const ref of listener.certificateRefs) {
    if (!ref.name || isCertificateRefPermitted(gateway, ref, universe)) continue;
    const secretId = `${ref.kind}/${ref.namespace}/${ref.name}`;
    findings.push(
      makeRouteFinding(
        'listener-certificate-ref-not-permitted',
        [gateway.id, secretId],
        `Listener ${listener.name} of ${gateway.id} uses certificate ${secretId} from another namespace, but no ReferenceGrant in namespace ${ref.namespace} allows Gateways from ${gateway.namespace} to read it: the reference is refused (RefNotPermitted), the listener is not programmed and TLS on it fails.`,
        [ref.location, listener.location],
      ),
    );
  }
  return findings;
}

/**
 * Listener distinctness inside each Gateway: same port + protocol + hostname is a HostnameConflict,
 * different TCP-carried protocols on one port a ProtocolConflict. One finding per Gateway and type.
 */
export function checkListeners(universe: RouteUniverse): RouteFinding[] {
  const findings: RouteFinding[] = [];
  for (const gateway of universe.gateways.values()) {
    if (gateway.opaque) continue;
    for (const listener of gateway.listeners)
      findings.push(...checkListenerConditions(gateway, listener, universe));
    const sameHost = hostnameConflicts(gateway);
    if (sameHost.length > 0) {
      const text = sameHost
        .map(
          (g) =>
            `${g.map((l) => l.name).join(', ')} all use port ${g[0]!.port} ${g[0]!.protocol} and ${describeHostname(g[0]!.hostname)}`,
        )
        .join('; ');
      findings.push(
        makeRouteFinding(
          'listener-hostname-conflict',
          [gateway.id],
          `Listeners of ${gateway.id} are not distinct: ${text}. They are Conflicted (HostnameConflict) and the Gateway is rejected or serves none of them.`,
          sameHost.flat().map((l) => l.location),
        ),
      );
    }
    const protocols = protocolConflicts(gateway);
    if (protocols.length > 0) {
      const text = protocols
        .map(([a, b]) => `${a.name} (${a.protocol}) and ${b.name} (${b.protocol}) share port ${a.port}`)
        .join('; ');
      findings.push(
        makeRouteFinding(
          'listener-protocol-conflict',
          [gateway.id],
          `Listeners of ${gateway.id} conflict on protocol: ${text}. One port cannot speak both (ProtocolConflict).`,
          protocols.flat().map((l) => l.location),
        ),
      );
    }
  }
  return findings;
}
