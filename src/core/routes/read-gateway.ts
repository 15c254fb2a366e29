import type { Manifest } from '../manifests/parse-manifests.ts';
import { normalizeHostname } from './intersect-hostnames.ts';
import { asArray, asPort, asRecord, asString } from './read-fields.ts';
import {
  type CertificateRefModel,
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

/** A protocol the analysis knows: the five of the spec, or a domain-prefixed one (`example.com/proto`). */
export function isKnownProtocol(protocol: string): boolean {
  return protocol in PROTOCOL_KINDS || protocol.includes('/');
}

function resolveAllowedKinds(
  protocol: string,
  rawKinds: unknown,
): { allowed: Set<string>; invalid: string[] } {
  const defaults = PROTOCOL_KINDS[protocol];
  const entries = asArray(rawKinds).map(asRecord);
  // An implementation-specific protocol (`example.com/proto`): its kinds are unknown, admit any.
  if (entries.length === 0) return { allowed: new Set(defaults ?? ROUTE_KINDS), invalid: [] };
  const allowed = new Set<string>();
  const invalid: string[] = [];
  for (const k of entries) {
    const group = k.group === undefined ? GATEWAY_GROUP : asString(k.group);
    const kind = asString(k.kind);
    if (!kind) continue;
    // Kinds the protocol cannot carry are invalid and dropped (ResolvedRefs=False/InvalidRouteKinds).
    if (group !== GATEWAY_GROUP) invalid.push(`${group}/${kind}`);
    else if (defaults && !defaults.includes(kind)) invalid.push(kind);
    else allowed.add(kind);
  }
  return { allowed, invalid };
}

function readCertificateRefs(
  manifest: Manifest,
  index: number,
  tls: Record<string, unknown>,
  namespace: string,
): CertificateRefModel[] {
  return asArray(tls.certificateRefs).map((raw, i) => {
    const r = asRecord(raw);
    return {
      group: r.group === undefined ? '' : asString(r.group),
      kind: asString(r.kind) || 'Secret',
      namespace: asString(r.namespace) || namespace,
      name: asString(r.name),
      location: locate(manifest, ['spec', 'listeners', index, 'tls', 'certificateRefs', i]),
    };
  });
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
    const kinds = resolveAllowedKinds(protocol, allowed.kinds);
    const listener: ListenerModel = {
      gateway,
      index,
      name: asString(l.name) || `#${index + 1}`,
      port: asPort(l.port),
      protocol,
      hostname: isHostlessProtocol(protocol) ? '' : normalizeHostname(l.hostname),
      allowedKinds: kinds.allowed,
      invalidKinds: kinds.invalid,
      certificateRefs: readCertificateRefs(manifest, index, asRecord(l.tls), namespace),
      namespacesFrom: asString(namespaces.from) || 'Same',
      selector: namespaces.selector,
      location: locate(manifest, ['spec', 'listeners', index]),
    };
    gateway.listeners.push(listener);
  });
  return gateway;
}
