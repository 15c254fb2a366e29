/** kustomize's generated-name hash: 10 characters of its alphabet (hex without 0 1 3 a e), one digit at least. */
const HASH_SUFFIX = /^(.*)-(?=[a-z2-9]*\d)[2456789bcdfghkmt]{10}$/;

/** `app-config-5chh99f28d` → `app-config`, for ConfigMaps and Secrets; undefined when there is no such suffix. */
export function stripGeneratedHash(kind: string, name: string): string | undefined {
  if (kind !== 'ConfigMap' && kind !== 'Secret') return undefined;
  return HASH_SUFFIX.exec(name)?.[1];
}
