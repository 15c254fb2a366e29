/**
 * Merge keys of the Kubernetes lists that strategic merge patch and server-side apply merge
 * item by item (from the API's `patchMergeKey` / `x-kubernetes-list-map-keys`); every other
 * list is replaced as a whole. Keyed by field name, which is unambiguous for the core kinds
 * except `ports` (container ports by containerPort, Service ports by port).
 */
const MERGE_KEYS: Readonly<Record<string, string>> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  volumes: 'name',
  env: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  imagePullSecrets: 'name',
  hostAliases: 'ip',
  topologySpreadConstraints: 'topologyKey',
  resourceClaims: 'name',
  readinessGates: 'conditionType',
  ownerReferences: 'uid',
  conditions: 'type',
  subsets: 'addresses',
};

/** Primitive lists merged as sets (`patchStrategy: merge` on a list of strings). */
const SET_LISTS = new Set(['finalizers']);

export function listMergeKey(field: string | undefined, items: unknown[]): string | undefined {
  if (field === 'ports') {
    const first = items.find((i) => i && typeof i === 'object') as Record<string, unknown> | undefined;
    return first && 'containerPort' in first ? 'containerPort' : 'port';
  }
  return field ? MERGE_KEYS[field] : undefined;
}

export function isSetList(field: string | undefined): boolean {
  return !!field && SET_LISTS.has(field);
}
