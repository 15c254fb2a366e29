import type { Manifest } from '../manifests/parse-manifests.ts';
import type { GrpcMatch, HttpMatch } from './normalize-route-match.ts';
import type { RouteLocation } from './route-finding.ts';

/**
 * The typed view of one environment's manifests that the route analysis works on. Everything is
 * read defensively: a malformed field reads as absent, never throws.
 */

export const GATEWAY_GROUP = 'gateway.networking.k8s.io';
export const ROUTE_KINDS = ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute'] as const;
export type RouteKind = (typeof ROUTE_KINDS)[number];

export interface ObjectInfo {
  /** `Kind/namespace/name`. */
  id: string;
  namespace: string;
  name: string;
  /** Where the object starts; undefined for objects known only by id (external). */
  location?: RouteLocation;
  manifest?: Manifest;
}

export interface ListenerModel {
  gateway: GatewayModel;
  index: number;
  name: string;
  port: number | undefined;
  protocol: string;
  /** `''` when unset. */
  hostname: string;
  /** Route kinds the listener admits (allowedRoutes.kinds ∩ protocol, or the protocol's defaults). */
  allowedKinds: ReadonlySet<string>;
  /** Kinds listed in allowedRoutes.kinds that the protocol cannot carry (InvalidRouteKinds). */
  invalidKinds: readonly string[];
  /** `tls.certificateRefs`, namespace defaulted to the Gateway's. */
  certificateRefs: readonly CertificateRefModel[];
  /** `Same` (default), `All`, `Selector`, `None`. */
  namespacesFrom: string;
  selector: unknown;
  location?: RouteLocation;
}

export interface CertificateRefModel {
  group: string;
  kind: string;
  namespace: string;
  name: string;
  location?: RouteLocation;
}

export interface GatewayModel extends ObjectInfo {
  listeners: ListenerModel[];
  /** Known to exist (external id) but its listeners are unknown: attachment is not checked further. */
  opaque: boolean;
}

export interface ParentRefModel {
  index: number;
  group: string;
  kind: string;
  namespace: string;
  name: string;
  sectionName?: string;
  port?: number;
  location?: RouteLocation;
}

export interface BackendRefModel {
  group: string;
  kind: string;
  namespace: string;
  name: string;
  port?: number;
  location?: RouteLocation;
}

export interface MatchModel {
  /** 0-based. */
  index: number;
  /** Normalised key (see normalize-route-match.ts), prefixed by the protocol family. */
  key: string;
  http?: HttpMatch;
  grpc?: GrpcMatch;
  location?: RouteLocation;
}

export interface RuleModel {
  /** 0-based. */
  index: number;
  matches: MatchModel[];
  backendRefs: BackendRefModel[];
  location?: RouteLocation;
}

export interface RouteModel extends ObjectInfo {
  kind: RouteKind;
  /** Normalised; empty = any hostname. Always empty for TCPRoute/UDPRoute. */
  hostnames: string[];
  hostnamesLocation?: RouteLocation;
  /** Where each normalised hostname is written. */
  hostnameLocations: Map<string, RouteLocation>;
  parentRefs: ParentRefModel[];
  rules: RuleModel[];
}

export interface ServiceModel extends ObjectInfo {
  ports: { port?: number; name: string }[];
  /** Known to exist (external id) but its ports are unknown. */
  opaque: boolean;
}

export interface ReferenceGrantModel extends ObjectInfo {
  from: { group: string; kind: string; namespace: string }[];
  to: { group: string; kind: string; name?: string }[];
}

export interface IngressBackendModel {
  serviceName: string;
  portNumber?: number;
  portName?: string;
  location?: RouteLocation;
}

export interface IngressPathModel {
  /** `''` = the default server. */
  host: string;
  /** `''` reads as `/`. */
  path: string;
  pathType: string;
  backend?: IngressBackendModel;
  location?: RouteLocation;
}

export interface IngressModel extends ObjectInfo {
  /** Effective IngressClass name, `''` when none applies. */
  className: string;
  annotations: Record<string, string>;
  canary: boolean;
  paths: IngressPathModel[];
  defaultBackend?: IngressBackendModel;
}

export interface IngressClassModel {
  name: string;
  controller: string;
  isDefault: boolean;
}

export interface RouteUniverse {
  /** By `namespace/name`. */
  gateways: Map<string, GatewayModel>;
  routes: RouteModel[];
  /** By `namespace/name`. */
  services: Map<string, ServiceModel>;
  /** Namespace name -> labels (only for Namespace objects present). */
  namespaceLabels: Map<string, Record<string, string>>;
  /** By namespace. */
  referenceGrants: Map<string, ReferenceGrantModel[]>;
  ingresses: IngressModel[];
  ingressClasses: Map<string, IngressClassModel>;
  /** Ids of the objects under review (not external): a finding must involve one of them. */
  reviewedIds: Set<string>;
}

/** A field's location, its line looked up only when a finding reports it (most never are). */
class LazyLocation implements RouteLocation {
  private resolved: number | undefined;
  constructor(
    private readonly manifest: Manifest,
    private readonly path: readonly (string | number)[],
  ) {}
  get file(): string {
    return this.manifest.file;
  }
  get line(): number {
    this.resolved ??= this.manifest.lineOf(this.path) ?? this.manifest.line;
    return this.resolved;
  }
}

export function locate(manifest: Manifest, path: readonly (string | number)[]): RouteLocation {
  return new LazyLocation(manifest, path);
}
