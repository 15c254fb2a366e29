import type { Finding } from '../findings/finding.ts';
import type { RouteFinding, RouteFindingType } from './route-finding.ts';

const TITLES: Record<RouteFindingType, string> = {
  'listener-hostname-conflict': 'Gateway listeners share port, protocol and hostname',
  'listener-protocol-conflict': 'Gateway listeners use different protocols on one port',
  'parent-not-found': 'Route names a Gateway that does not exist',
  'no-matching-parent': 'Route parentRef selects no listener',
  'not-allowed-by-listeners': 'Route is not allowed by the Gateway listeners',
  'no-matching-listener-hostname': 'Route hostnames match no listener',
  'route-hostname-ignored': 'Route hostname is silently ignored',
  'listener-isolation-unreachable': 'Route is unreachable behind a more specific listener',
  'backend-not-found': 'Backend Service does not exist',
  'backend-port-not-found': 'Backend Service has no such port',
  'backend-ref-not-permitted': 'Cross-namespace backend without ReferenceGrant',
  'backend-invalid-kind': 'Backend of a kind the controller does not resolve',
  'namespace-labels-unknown': 'Namespace labels unknown: listener selector not checked',
  'listener-invalid-route-kinds': 'Listener allows a route kind its protocol cannot serve',
  'listener-unsupported-protocol': 'Listener protocol is not supported',
  'listener-certificate-ref-not-permitted': 'Cross-namespace certificate without ReferenceGrant',
  'duplicate-match': 'Identical route matches: only one receives traffic',
  'grpc-http-hostname-conflict': 'HTTPRoute and GRPCRoute share a hostname on one listener',
  'regex-path-overlap': 'Regex path overlaps a plain path',
  'ingress-duplicate-path': 'Ingresses claim the same host and path',
  'ingress-regex-host-contamination': 'Regex annotations change other Ingresses on the host',
  'ingress-httproute-overlap': 'Ingress and HTTPRoute serve the same URL',
  'invalid-regex': 'Route regular expression is not valid RE2',
};

const REMEDIES: Record<RouteFindingType, string> = {
  'invalid-regex':
    'Write the pattern in RE2 syntax (what Gateway API controllers use: no lookaround or backreferences).',
  'listener-hostname-conflict': 'Give each listener on the port its own hostname, or merge them.',
  'listener-protocol-conflict': 'Move one of the listeners to another port.',
  'parent-not-found': 'Fix the parentRef name/namespace, or add the Gateway to this environment.',
  'no-matching-parent': 'Point sectionName/port at an existing listener of the Gateway.',
  'not-allowed-by-listeners':
    "Attach to a listener that admits this route kind and namespace, or widen the listener's allowedRoutes.",
  'no-matching-listener-hostname': "Use a hostname the listener accepts, or change the listener's hostname.",
  'route-hostname-ignored': 'Remove the hostname or attach the route to a listener that accepts it.',
  'listener-isolation-unreachable': 'Attach the route to the more specific listener (sectionName) as well.',
  'backend-not-found': 'Fix the backend name, or add the Service to this environment.',
  'backend-port-not-found': 'Use a port the Service exposes, or add the port to the Service.',
  'backend-ref-not-permitted':
    "Add a ReferenceGrant in the Service's namespace that allows this route kind and namespace.",
  'backend-invalid-kind':
    'Point the backendRef at a Service (or a kind your controller documents), or set routes.controller in .tollgate.yml.',
  'namespace-labels-unknown':
    'Declare the Namespace labels under routes.namespaces in .tollgate.yml (or pass the Namespace with --external), or add the Namespace object.',
  'listener-invalid-route-kinds':
    "List only kinds the listener's protocol carries (HTTP/HTTPS: HTTPRoute, GRPCRoute; TLS: TLSRoute, TCPRoute; TCP: TCPRoute; UDP: UDPRoute).",
  'listener-unsupported-protocol':
    'Use HTTP, HTTPS, TLS, TCP or UDP, or a domain-prefixed protocol your controller documents.',
  'listener-certificate-ref-not-permitted':
    "Add a ReferenceGrant in the Secret's namespace that allows Gateways from the Gateway's namespace, or move the Secret.",
  'duplicate-match': 'Remove the duplicate, or differentiate it (hostname, header, query or method).',
  'grpc-http-hostname-conflict': 'Give the HTTPRoute and the GRPCRoute distinct hostnames or listeners.',
  'regex-path-overlap':
    'Make the regex and the plain path disjoint, or accept the implementation-specific order.',
  'ingress-duplicate-path': 'Keep the host and path in one Ingress, or use a canary Ingress for a split.',
  'ingress-regex-host-contamination':
    'Move the regex paths to their own host, or write every path on the host as a regex.',
  'ingress-httproute-overlap':
    'Finish the migration: remove the path from the Ingress or from the HTTPRoute.',
};

/** The common Finding form (check `routes`, rule = type; errors block the merge). */
export function routeFindingsToFindings(
  routeFindings: readonly RouteFinding[],
  environment?: string,
): Finding[] {
  return routeFindings.map((f) => {
    const location = f.locations[0];
    return {
      check: 'routes',
      rule: f.type,
      severity: f.severity,
      blocking: f.severity === 'error',
      title: TITLES[f.type],
      message: f.message,
      remedy: REMEDIES[f.type],
      ...(location ? { location: { file: location.file, line: location.line } } : {}),
      ...(environment ? { environment } : {}),
      objects: [...f.objects],
    };
  });
}
