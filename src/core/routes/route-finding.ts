/**
 * What the route-conflict analysis reports. Plain data; `routeFindingsToFindings` turns it into the
 * common `Finding` type, and the CLI prints it as JSON for the conformance corpus.
 */
export type RouteFindingType =
  | 'listener-hostname-conflict'
  | 'listener-protocol-conflict'
  | 'parent-not-found'
  | 'no-matching-parent'
  | 'not-allowed-by-listeners'
  | 'no-matching-listener-hostname'
  | 'route-hostname-ignored'
  | 'listener-isolation-unreachable'
  | 'backend-not-found'
  | 'backend-port-not-found'
  | 'backend-ref-not-permitted'
  | 'backend-invalid-kind'
  | 'namespace-labels-unknown'
  | 'listener-invalid-route-kinds'
  | 'listener-unsupported-protocol'
  | 'listener-certificate-ref-not-permitted'
  | 'duplicate-match'
  | 'grpc-http-hostname-conflict'
  | 'regex-path-overlap'
  | 'ingress-duplicate-path'
  | 'ingress-regex-host-contamination'
  | 'ingress-httproute-overlap'
  | 'invalid-regex';

export interface RouteLocation {
  file: string;
  line: number;
}

export interface RouteFinding {
  type: RouteFindingType;
  severity: 'error' | 'warning';
  /** Sorted `Kind/namespace/name` ids of every object involved (missing ones included). */
  objects: string[];
  /** Which request goes where and why, in plain words. */
  message: string;
  locations: RouteLocation[];
}

export const ROUTE_FINDING_SEVERITY: Record<RouteFindingType, 'error' | 'warning'> = {
  'listener-hostname-conflict': 'error',
  'listener-protocol-conflict': 'error',
  'parent-not-found': 'error',
  'no-matching-parent': 'error',
  'not-allowed-by-listeners': 'error',
  'no-matching-listener-hostname': 'error',
  'route-hostname-ignored': 'warning',
  'listener-isolation-unreachable': 'warning',
  'backend-not-found': 'error',
  'backend-port-not-found': 'error',
  'backend-ref-not-permitted': 'error',
  'backend-invalid-kind': 'error',
  'namespace-labels-unknown': 'warning',
  'listener-invalid-route-kinds': 'error',
  'listener-unsupported-protocol': 'error',
  'listener-certificate-ref-not-permitted': 'error',
  'duplicate-match': 'error',
  'grpc-http-hostname-conflict': 'error',
  'regex-path-overlap': 'warning',
  'ingress-duplicate-path': 'error',
  'ingress-regex-host-contamination': 'warning',
  'ingress-httproute-overlap': 'warning',
  'invalid-regex': 'error',
};

/** Builds a finding with sorted, de-duplicated objects and locations. */
export function makeRouteFinding(
  type: RouteFindingType,
  objects: readonly string[],
  message: string,
  locations: readonly (RouteLocation | undefined)[],
): RouteFinding {
  const seen = new Set<string>();
  const locs: RouteLocation[] = [];
  for (const l of locations) {
    if (!l) continue;
    const { file, line } = l; // plain copy: locations may be lazy
    const k = `${file}:${line}`;
    if (seen.has(k)) continue;
    seen.add(k);
    locs.push({ file, line });
  }
  return {
    type,
    severity: ROUTE_FINDING_SEVERITY[type],
    objects: [...new Set(objects)].sort(),
    message,
    locations: locs,
  };
}

/** Identity of a finding across two runs (base vs head): its type and its objects. */
export function routeFindingKey(f: Pick<RouteFinding, 'type' | 'objects'>): string {
  return `${f.type}|${[...f.objects].sort().join(',')}`;
}
