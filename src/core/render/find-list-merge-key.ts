/**
 * Merge keys of Kubernetes lists: the field that identifies an item of a list, so that two versions
 * of the list are matched item by item (strategic merge patches, field diffs) rather than by index.
 * From the `patchMergeKey` tags of the Kubernetes API types that manifests realistically use.
 */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  imagePullSecrets: 'name',
  hostAliases: 'ip',
  conditions: 'type',
  topologySpreadConstraints: 'topologyKey',
  resourceClaims: 'name',
};

const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);

/**
 * The merge key of the list at `path` (field names from the object root, list indices omitted), or
 * undefined when items are matched by position. `generic` (for diffs) also accepts `name` when every
 * item has a distinct one; strategic merge patches replace such lists, as Kubernetes does.
 */
export function findListMergeKey(
  path: readonly string[],
  items: readonly unknown[],
  options: { generic: boolean } = { generic: true },
): string | undefined {
  const field = path[path.length - 1] ?? '';
  let key = MERGE_KEYS[field];
  if (field === 'ports') {
    const inContainer = path.length >= 2 && CONTAINER_LISTS.has(path[path.length - 2]!);
    key = inContainer ? 'containerPort' : options.generic && hasDistinctKey(items, 'name') ? 'name' : 'port';
  }
  if (key) return !options.generic || hasDistinctKey(items, key) ? key : undefined;
  if (options.generic && hasDistinctKey(items, 'name')) return 'name';
  return undefined;
}

function hasDistinctKey(items: readonly unknown[], key: string): boolean {
  if (items.length === 0) return false;
  const seen = new Set<unknown>();
  for (const item of items) {
    if (!item || typeof item !== 'object' || Array.isArray(item)) return false;
    const value = (item as Record<string, unknown>)[key];
    if ((typeof value !== 'string' && typeof value !== 'number') || seen.has(value)) return false;
    seen.add(value);
  }
  return true;
}
