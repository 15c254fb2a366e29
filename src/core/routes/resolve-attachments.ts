import { describeHostname, intersectHostnames } from './intersect-hostnames.ts';
import { matchesLabelSelector } from './matches-label-selector.ts';
import { asArray, asRecord, asString } from './read-fields.ts';
import { makeRouteFinding, type RouteFinding } from './route-finding.ts';
import {
  GATEWAY_GROUP,
  type GatewayModel,
  type ListenerModel,
  type ParentRefModel,
  type RouteModel,
  type RouteUniverse,
} from './route-universe.ts';

/** A route attached to one listener, with the hostnames it serves there (`''` = any). */
export interface Attachment {
  route: RouteModel;
  listener: ListenerModel;
  hostnames: string[];
}

export interface AttachmentResult {
  attachments: Attachment[];
  findings: RouteFinding[];
}

const METADATA_NAME_LABEL = 'kubernetes.io/metadata.name';

/** True when a selector reads no label but `kubernetes.io/metadata.name` (set on every Namespace). */
function readsOnlyNamespaceName(selector: unknown): boolean {
  const s = asRecord(selector);
  const keys = [
    ...Object.keys(asRecord(s.matchLabels)),
    ...asArray(s.matchExpressions).map((e) => asString(asRecord(e).key)),
  ];
  return keys.every((k) => k === METADATA_NAME_LABEL);
}

/**
 * Whether a listener admits routes from `namespace`: `unknown` when `from: Selector` needs labels
 * of a Namespace that is neither among the files nor declared (the shared-gateway pattern: the app
 * team's repository does not hold the Namespaces).
 */
export function admitsNamespace(
  listener: ListenerModel,
  namespace: string,
  universe: RouteUniverse,
): boolean | 'unknown' {
  switch (listener.namespacesFrom) {
    case 'All':
      return true;
    case 'Same':
      return namespace === listener.gateway.namespace;
    case 'Selector': {
      if (listener.selector === undefined || listener.selector === null) return false;
      const known = universe.namespaceLabels.get(namespace);
      if (!known && !readsOnlyNamespaceName(listener.selector)) return 'unknown';
      const labels = { ...known, [METADATA_NAME_LABEL]: namespace };
      return matchesLabelSelector(listener.selector, labels);
    }
    default:
      return false; // None, or a value the API would reject
  }
}

function describeListener(l: ListenerModel): string {
  const host = l.hostname ? ` ${l.hostname}` : '';
  return `${l.name} (${l.protocol} ${l.port ?? '?'}${host})`;
}

function describeParentRef(ref: ParentRefModel): string {
  const parts = [ref.sectionName ? `sectionName ${ref.sectionName}` : '', ref.port ? `port ${ref.port}` : ''];
  return parts.filter(Boolean).join(', ');
}

function whyNotAdmitted(l: ListenerModel, route: RouteModel): string {
  if (!l.allowedKinds.has(route.kind)) {
    const kinds = [...l.allowedKinds].join(', ') || 'no route kinds';
    return `listener ${l.name} admits ${kinds}, not ${route.kind}`;
  }
  const from = l.namespacesFrom;
  const detail = from === 'Same' ? ` (only namespace ${l.gateway.namespace})` : '';
  return `listener ${l.name} admits routes from namespaces: ${from}${detail}, not from ${route.namespace}`;
}

/** Listener hostname x route hostnames; route without hostnames takes the listener's. */
function intersectRouteHostnames(route: RouteModel, listener: ListenerModel): string[] {
  if (route.hostnames.length === 0 || route.kind === 'TCPRoute' || route.kind === 'UDPRoute') {
    return [listener.hostname];
  }
  const out = new Set<string>();
  for (const h of route.hostnames) {
    const i = intersectHostnames(listener.hostname, h);
    if (i !== undefined) out.add(i);
  }
  return [...out];
}

/**
 * Resolves every parentRef as the Gateway API does, reporting only the first failing step per
 * parentRef: the parent exists -> sectionName/port select a listener -> a listener admits the
 * route's kind and namespace -> a hostname intersects. Then flags route hostnames that no attached
 * listener accepts.
 */
export function resolveAttachments(universe: RouteUniverse): AttachmentResult {
  const findings: RouteFinding[] = [];
  const attachments: Attachment[] = [];
  for (const route of universe.routes) {
    const byListener = new Map<ListenerModel, Set<string>>();
    for (const ref of route.parentRefs) {
      if (ref.group !== GATEWAY_GROUP || ref.kind !== 'Gateway') continue; // mesh parents: out of scope
      if (!ref.name) continue; // a parentRef without a name is invalid (rejected by the API), not a parent
      const gateway = universe.gateways.get(`${ref.namespace}/${ref.name}`);
      const failure = checkParentRef(route, ref, gateway, universe, byListener, findings);
      if (failure) findings.push(failure);
    }
    for (const [listener, hostnames] of byListener) {
      attachments.push({ route, listener, hostnames: [...hostnames] });
    }
    const ignored = findIgnoredHostnames(route, [...byListener.keys()]);
    if (ignored) findings.push(ignored);
  }
  return { attachments, findings };
}

function checkParentRef(
  route: RouteModel,
  ref: ParentRefModel,
  gateway: GatewayModel | undefined,
  universe: RouteUniverse,
  byListener: Map<ListenerModel, Set<string>>,
  warnings: RouteFinding[],
): RouteFinding | undefined {
  const gatewayId = `Gateway/${ref.namespace}/${ref.name}`;
  if (!gateway) {
    return makeRouteFinding(
      'parent-not-found',
      [gatewayId, route.id],
      `${route.id} names parent ${gatewayId}, which does not exist in this environment: the route is not attached there and receives no traffic through it.`,
      [ref.location],
    );
  }
  if (gateway.opaque) return undefined;
  const locations = [ref.location, gateway.location];
  const selected = gateway.listeners.filter(
    (l) =>
      (ref.sectionName === undefined || l.name === ref.sectionName) &&
      (ref.port === undefined || l.port === ref.port),
  );
  if (selected.length === 0) {
    const listeners = gateway.listeners.map(describeListener).join(', ') || 'none';
    return makeRouteFinding(
      'no-matching-parent',
      [gateway.id, route.id],
      `parentRef ${ref.index + 1} of ${route.id} (${describeParentRef(ref)}) selects no listener of ${gateway.id} (listeners: ${listeners}): the route is not accepted there (NoMatchingParent) and receives no traffic through it.`,
      locations,
    );
  }
  const ofKind = selected.filter((l) => l.allowedKinds.has(route.kind));
  const admitting = ofKind.filter((l) => admitsNamespace(l, route.namespace, universe) === true);
  const undecided = ofKind.filter((l) => admitsNamespace(l, route.namespace, universe) === 'unknown');
  if (admitting.length === 0 && undecided.length > 0) {
    // Cannot tell: say which Namespace is missing. The route is not counted as attached (no
    // conflict is reported on an assumption), and not as refused (no blocking false alarm).
    warnings.push(
      makeRouteFinding(
        'namespace-labels-unknown',
        [gateway.id, route.id],
        `${route.id} attaches to ${gateway.id}, whose listener${undecided.length > 1 ? 's' : ''} ${undecided.map((l) => l.name).join(', ')} admit${undecided.length > 1 ? '' : 's'} namespaces by label selector, but Namespace ${route.namespace} is not among the files and its labels are not declared: whether the route is allowed there, and its conflicts on ${undecided.length > 1 ? 'those listeners' : 'that listener'}, are not checked.`,
        [...locations, ...undecided.map((l) => l.location)],
      ),
    );
    return undefined;
  }
  if (admitting.length === 0) {
    const reasons = selected.map((l) => whyNotAdmitted(l, route)).join('; ');
    return makeRouteFinding(
      'not-allowed-by-listeners',
      [gateway.id, route.id],
      `${route.id} may not attach to ${gateway.id}: ${reasons}. The route is not accepted (NotAllowedByListeners) and receives no traffic through it.`,
      [...locations, ...selected.map((l) => l.location)],
    );
  }
  let attached = 0;
  for (const listener of admitting) {
    const hostnames = intersectRouteHostnames(route, listener);
    if (hostnames.length === 0) continue;
    attached++;
    const set = byListener.get(listener) ?? new Set<string>();
    for (const h of hostnames) set.add(h);
    byListener.set(listener, set);
  }
  if (attached === 0) {
    const listenerHosts = admitting.map((l) => `${l.name}: ${describeHostname(l.hostname)}`).join(', ');
    return makeRouteFinding(
      'no-matching-listener-hostname',
      [gateway.id, route.id],
      `None of the hostnames of ${route.id} (${route.hostnames.join(', ')}) intersects a listener of ${gateway.id} it may attach to (${listenerHosts}): the route is not accepted (NoMatchingListenerHostname) and receives no traffic through it.`,
      [route.hostnamesLocation, ...locations],
    );
  }
  return undefined;
}

function findIgnoredHostnames(route: RouteModel, listeners: ListenerModel[]): RouteFinding | undefined {
  if (listeners.length === 0 || route.hostnames.length === 0) return undefined;
  const ignored = route.hostnames.filter((h) =>
    listeners.every((l) => intersectHostnames(l.hostname, h) === undefined),
  );
  if (ignored.length === 0) return undefined;
  const locations = ignored.map((h) => route.hostnameLocations.get(h));
  const where = [...new Set(listeners.map((l) => `${l.gateway.id} listener ${describeListener(l)}`))].join(
    ', ',
  );
  return makeRouteFinding(
    'route-hostname-ignored',
    [route.id],
    `${route.id} is attached to ${where}, but its hostname${ignored.length > 1 ? 's' : ''} ${ignored.join(', ')} intersect${ignored.length > 1 ? '' : 's'} none of those listeners: requests for ${ignored.length > 1 ? 'them' : 'it'} never reach the route (silently dropped).`,
    locations,
  );
}
