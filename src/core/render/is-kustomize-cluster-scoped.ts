import { splitApiVersion } from '../manifests/resource-identity.ts';

/**
 * Kinds kustomize treats as cluster-scoped (it asks its built-in OpenAPI schema, which predates
 * several newer kinds): checked one by one against `kubectl kustomize` with `namespace:` set.
 * Everything else, custom resources and newer built-ins such as ValidatingAdmissionPolicy,
 * GatewayClass or FlowSchema included, gets the kustomization's namespace under kustomize.
 */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'ComponentStatus',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'PriorityClass',
  'RuntimeClass',
  'IngressClass',
  'CSIDriver',
  'CSINode',
  'StorageClass',
  'VolumeAttachment',
  'CertificateSigningRequest',
  'PodSecurityPolicy',
]);

/** True when kustomize leaves objects of this apiVersion and kind without a namespace. */
export function isKustomizeClusterScoped(apiVersion: unknown, kind: unknown): boolean {
  if (typeof kind !== 'string') return false;
  if (kind === 'APIService') return splitApiVersion(String(apiVersion ?? '')).version === 'v1';
  return CLUSTER_SCOPED.has(kind);
}
