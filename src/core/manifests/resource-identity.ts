/**
 * Identity of a Kubernetes object: (group, kind, namespace, name). Two manifests with the same
 * identity are the same object in the cluster, whatever their version or source file.
 */
export interface ResourceIdentity {
  group: string;
  version: string;
  kind: string;
  /** Empty for cluster-scoped kinds. */
  namespace: string;
  name: string;
}

/** Kinds that have no namespace (the ones a manifest repository realistically holds). */
const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'StorageClass',
  'CSIDriver',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'APIService',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'PriorityClass',
  'RuntimeClass',
  'IngressClass',
  'GatewayClass',
  'ClusterPolicy',
  'ClusterIssuer',
  'PodSecurityPolicy',
  'VolumeAttachment',
  'CertificateSigningRequest',
  'ClusterCleanupPolicy',
]);

export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED_KINDS.has(kind);
}

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** Identity of a parsed object, or undefined when it is not a Kubernetes object (no apiVersion/kind). */
export function identifyResource(object: unknown): ResourceIdentity | undefined {
  if (!object || typeof object !== 'object' || Array.isArray(object)) return undefined;
  const o = object as Record<string, unknown>;
  if (typeof o.apiVersion !== 'string' || typeof o.kind !== 'string') return undefined;
  const meta = (o.metadata && typeof o.metadata === 'object' ? o.metadata : {}) as Record<string, unknown>;
  const { group, version } = splitApiVersion(o.apiVersion);
  const name =
    typeof meta.name === 'string'
      ? meta.name
      : typeof meta.generateName === 'string'
        ? meta.generateName
        : '';
  const namespace = isClusterScoped(o.kind)
    ? ''
    : typeof meta.namespace === 'string' && meta.namespace
      ? meta.namespace
      : 'default';
  return { group, version, kind: o.kind, namespace, name };
}

/** `Kind/namespace/name` (cluster-scoped: `Kind/name`), the id used in findings. */
export function formatResourceId(id: Pick<ResourceIdentity, 'kind' | 'namespace' | 'name'>): string {
  return id.namespace ? `${id.kind}/${id.namespace}/${id.name}` : `${id.kind}/${id.name}`;
}

/** Key that matches the same object across renders: group, kind, namespace, name (not version). */
export function resourceKey(id: ResourceIdentity): string {
  return `${id.group}|${id.kind}|${id.namespace}|${id.name}`;
}
