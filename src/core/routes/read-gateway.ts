import type { Manifest } from '../manifests/parse-manifests.ts';
import { normalizeHostname } from './intersect-hostnames.ts';
import { asArray, asPort, asRecord, asString } from './read-fields.ts';
import {
  GATEWAY_GROUP,
  type GatewayModel,
  type ListenerModel,
  locate,
  ROUTE_KINDS,
} from './route-universe.ts';

/** Route kinds each listener protocol carries when `allowedRoutes.kinds` is not set. */
const PROTOCOL_KINDS: Record<string, readonly string[]> = {
  HTTP: ['HTTPRoute', 'GRPCRoute'],
  HTTPS: ['HTTPRoute', 'GRPCRoute'],
  TLS: ['TLSRoute', 'TCPRoute'],
  TCP: ['TCPRoute'],
  UDP: ['UDPRoute'],
};

/** Protocols that carry no hostname (their listeners never filter by host). */
export function isHostlessProtocol(protocol: string): boolean {
  return protocol === 'TCP' || protocol === 'UDP';
}

function resolveAllowedKinds(protocol: string, rawKinds: unknown): Set<string> {
  const defaults = PROTOCOL_KINDS[protocol];
  const listed = asArray(rawKinds)
    .map(asRecord)
    .filter((k) => (k.group === undefined ? GATEWAY_GROUP : asString(k.group)) === GATEWAY_GROUP)
    .map((k) => asString(k.kind))
    .filter(Boolean);
  // An implementation-specific protocol (`example.com/proto`): its kinds are unknown, admit any.
  if (asArray(rawKinds).length === 0) return new Set(defaults ?? ROUTE_KINDS);
  // Kinds the protocol cannot carry are invalid and dropped (ResolvedRefs=False/InvalidRouteKinds).
  return new Set(defaults ? listed.filter((k) => defaults.includes(k)) : listed);
}

export function readGateway(manifest: Manifest, id: string): GatewayModel {
  const { namespace, name } = manifest.identity;
  const spec = asRecord(manifest.object.spec);
  const gateway: GatewayModel = {
    id,
    namespace,
    name,
    location: { file: manifest.file, line: manifest.line },
    manifest,
    listeners: [],
    opaque: false,
  };
  asArray(spec.listeners).forEach((raw, index) => {
    const l = asRecord(raw);
    const protocol = asString(l.protocol).toUpperCase();
    const allowed = asRecord(l.allowedRoutes);
    const namespaces = asRecord(allowed.namespaces);
    const listener: ListenerModel = {
      gateway,
      index,
      name: asString(l.name) || `#${index + 1}`,
      port: asPort(l.port),
      protocol,
      hostname: isHostlessProtocol(protocol) ? '' : normalizeHostname(l.hostname),
      allowedKinds: resolveAllowedKinds(protocol, allowed.kinds),
      namespacesFrom: asString(namespaces.from) || 'Same',
      selector: namespaces.selector,
      location: locate(manifest, ['spec', 'listeners', index]),
    };
    gateway.listeners.push(listener);
  });
  return gateway;
}
