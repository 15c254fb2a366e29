import {
  CONTROLLER_TITLES,
  type ControllerProfile,
  resolveControllerProfile,
} from './controller-profiles.ts';
import { isReferenceGranted } from './is-reference-granted.ts';
import {
  makeRouteFinding,
  type RouteFinding,
  type RouteFindingType,
  type RouteLocation,
} from './route-finding.ts';
import {
  type BackendRefModel,
  GATEWAY_GROUP,
  type IngressBackendModel,
  type ObjectInfo,
  type RouteModel,
  type RouteUniverse,
} from './route-universe.ts';

/** A ReferenceGrant in the Service's namespace must admit the route's kind and namespace. */
export function isBackendRefPermitted(
  route: RouteModel,
  ref: BackendRefModel,
  universe: RouteUniverse,
): boolean {
  return isReferenceGranted(universe, route, { ...ref, group: '', kind: 'Service' });
}

class FindingSet {
  readonly findings: RouteFinding[] = [];
  private readonly seen = new Set<string>();
  add(
    type: RouteFindingType,
    source: ObjectInfo,
    serviceId: string,
    message: string,
    location: RouteLocation | undefined,
  ) {
    const key = `${type}|${source.id}|${serviceId}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.findings.push(makeRouteFinding(type, [source.id, serviceId], message, [location, source.location]));
  }
}

function checkRouteBackend(
  route: RouteModel,
  ref: BackendRefModel,
  universe: RouteUniverse,
  out: FindingSet,
  profile: ControllerProfile,
) {
  if (!ref.name) return;
  if (ref.group !== '' || ref.kind !== 'Service') {
    const kind = `${ref.group ? `${ref.group}/` : ''}${ref.kind}`;
    if (profile.backendKinds.has(kind)) return; // the controller's own kinds: its business
    out.add(
      'backend-invalid-kind',
      route,
      `${ref.kind}/${ref.namespace}/${ref.name}`,
      `${route.id} sends traffic to ${kind} ${ref.namespace}/${ref.name}, a backend kind ${profile.name ? `${CONTROLLER_TITLES[profile.name]} does not resolve` : 'no Gateway API controller resolves'} (only Service is core): the reference is not resolved (ResolvedRefs=False, InvalidKind) and requests for it get HTTP 500.`,
      ref.location,
    );
    return;
  }
  const serviceId = `Service/${ref.namespace}/${ref.name}`;
  if (!isBackendRefPermitted(route, ref, universe)) {
    out.add(
      'backend-ref-not-permitted',
      route,
      serviceId,
      `${route.id} sends traffic to ${serviceId} in another namespace, but no ReferenceGrant in namespace ${ref.namespace} allows ${route.kind}s from ${route.namespace} to reach it: the reference is refused (RefNotPermitted) and requests get HTTP 500.`,
      ref.location,
    );
    return;
  }
  const service = universe.services.get(`${ref.namespace}/${ref.name}`);
  if (!service) {
    out.add(
      'backend-not-found',
      route,
      serviceId,
      `${route.id} sends traffic to ${serviceId}, which does not exist in this environment (BackendNotFound): requests for it get HTTP 500.`,
      ref.location,
    );
    return;
  }
  if (service.opaque || ref.port === undefined) return;
  if (!service.ports.some((p) => p.port === ref.port)) {
    const ports = service.ports.map((p) => p.port).join(', ') || 'none';
    out.add(
      'backend-port-not-found',
      route,
      serviceId,
      `${route.id} sends traffic to port ${ref.port} of ${serviceId}, which only exposes ports ${ports}: requests for it fail.`,
      ref.location,
    );
  }
}

function checkIngressBackend(
  source: ObjectInfo,
  b: IngressBackendModel,
  universe: RouteUniverse,
  out: FindingSet,
) {
  if (!b.serviceName) return;
  const serviceId = `Service/${source.namespace}/${b.serviceName}`;
  const service = universe.services.get(`${source.namespace}/${b.serviceName}`);
  if (!service) {
    out.add(
      'backend-not-found',
      source,
      serviceId,
      `${source.id} sends traffic to ${serviceId}, which does not exist in this environment: requests for it get HTTP 503.`,
      b.location,
    );
    return;
  }
  if (service.opaque) return;
  const found =
    b.portNumber !== undefined
      ? service.ports.some((p) => p.port === b.portNumber)
      : b.portName
        ? service.ports.some((p) => p.name === b.portName)
        : true;
  if (!found) {
    const wanted = b.portNumber !== undefined ? `port ${b.portNumber}` : `port named ${b.portName}`;
    const ports = service.ports.map((p) => (p.name ? `${p.port} (${p.name})` : String(p.port))).join(', ');
    out.add(
      'backend-port-not-found',
      source,
      serviceId,
      `${source.id} sends traffic to ${wanted} of ${serviceId}, which only exposes ${ports || 'no ports'}: requests for it get HTTP 503.`,
      b.location,
    );
  }
}

/** A Route whose parents are all non-Gateway (Service parentRefs = mesh): out of scope entirely. */
function isMeshOnly(route: RouteModel): boolean {
  return (
    route.parentRefs.length > 0 &&
    route.parentRefs.every((p) => p.group !== GATEWAY_GROUP || p.kind !== 'Gateway')
  );
}

/**
 * Backends of Routes and Ingresses: a kind the controller resolves (else InvalidKind), permitted,
 * existing, with the port asked for.
 */
export function checkBackends(
  universe: RouteUniverse,
  profile: ControllerProfile = resolveControllerProfile(undefined),
): RouteFinding[] {
  const out = new FindingSet();
  for (const route of universe.routes) {
    if (isMeshOnly(route)) continue;
    for (const rule of route.rules)
      for (const ref of rule.backendRefs) checkRouteBackend(route, ref, universe, out, profile);
  }
  for (const ingress of universe.ingresses) {
    if (ingress.defaultBackend) checkIngressBackend(ingress, ingress.defaultBackend, universe, out);
    for (const p of ingress.paths) if (p.backend) checkIngressBackend(ingress, p.backend, universe, out);
  }
  return out.findings;
}
