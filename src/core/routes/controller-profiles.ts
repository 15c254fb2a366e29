/**
 * Where a controller's documented behaviour differs from what the Gateway API spec recommends
 * (`routes.controller` in .tollgate.yml). Without a profile the analysis follows the spec and
 * accepts every backend kind some controller knows.
 */
export const CONTROLLER_NAMES = ['nginx-gateway-fabric', 'envoy-gateway', 'istio', 'ingress-nginx'] as const;
export type ControllerName = (typeof CONTROLLER_NAMES)[number];

export interface ControllerProfile {
  name: ControllerName | undefined;
  /** Backend kinds (`group/Kind`) resolved besides the core Service; any other kind is InvalidKind. */
  backendKinds: ReadonlySet<string>;
  /**
   * An HTTPRoute and a GRPCRoute with intersecting hostnames on one listener are both served (NGINX
   * Gateway Fabric routes gRPC by content type; its own test manifests rely on it): a warning.
   */
  servesGrpcAndHttpOnOneHostname: boolean;
  /**
   * ingress-nginx's admission webhook compares host and path only ("host and path already defined"),
   * so an Exact and a Prefix rule of one path on two Ingresses are rejected too.
   */
  ingressDuplicateIgnoresPathType: boolean;
}

const SERVICE_IMPORT = 'multicluster.x-k8s.io/ServiceImport';
const INFERENCE_POOLS = [
  'inference.networking.k8s.io/InferencePool',
  'inference.networking.x-k8s.io/InferencePool',
];
const ENVOY_BACKEND = 'gateway.envoyproxy.io/Backend';
const ISTIO_HOSTNAME = 'networking.istio.io/Hostname';

const PROFILES: Record<ControllerName, Omit<ControllerProfile, 'name'>> = {
  // NGF resolves Services and (with the Inference Extension) InferencePools.
  'nginx-gateway-fabric': {
    backendKinds: new Set(INFERENCE_POOLS),
    servesGrpcAndHttpOnOneHostname: true,
    ingressDuplicateIgnoresPathType: false,
  },
  // Envoy Gateway: Service, ServiceImport and its own Backend resource.
  'envoy-gateway': {
    backendKinds: new Set([SERVICE_IMPORT, ENVOY_BACKEND, ...INFERENCE_POOLS]),
    servesGrpcAndHttpOnOneHostname: false,
    ingressDuplicateIgnoresPathType: false,
  },
  // Istio: Service, ServiceImport (MCS) and the synthetic networking.istio.io Hostname kind.
  istio: {
    backendKinds: new Set([SERVICE_IMPORT, ISTIO_HOSTNAME, ...INFERENCE_POOLS]),
    servesGrpcAndHttpOnOneHostname: false,
    ingressDuplicateIgnoresPathType: false,
  },
  'ingress-nginx': {
    backendKinds: new Set([SERVICE_IMPORT, ENVOY_BACKEND, ISTIO_HOSTNAME, ...INFERENCE_POOLS]),
    servesGrpcAndHttpOnOneHostname: false,
    ingressDuplicateIgnoresPathType: true,
  },
};

/** The spec's behaviour: every extension kind some controller resolves is accepted. */
const SPEC_PROFILE: ControllerProfile = {
  name: undefined,
  backendKinds: new Set([SERVICE_IMPORT, ENVOY_BACKEND, ISTIO_HOSTNAME, ...INFERENCE_POOLS]),
  servesGrpcAndHttpOnOneHostname: false,
  ingressDuplicateIgnoresPathType: false,
};

export function resolveControllerProfile(name: ControllerName | undefined): ControllerProfile {
  return name ? { name, ...PROFILES[name] } : SPEC_PROFILE;
}

export const CONTROLLER_TITLES: Record<ControllerName, string> = {
  'nginx-gateway-fabric': 'NGINX Gateway Fabric',
  'envoy-gateway': 'Envoy Gateway',
  istio: 'Istio',
  'ingress-nginx': 'ingress-nginx',
};
