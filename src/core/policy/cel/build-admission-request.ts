import { identifyResource, type ResourceIdentity } from '../../manifests/resource-identity.ts';

export interface CelUserInfo {
  username?: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}

/** `Deployment` → `deployments`, `Ingress` → `ingresses`, `NetworkPolicy` → `networkpolicies`. */
export function pluralResourceName(kind: string): string {
  const lower = kind.toLowerCase();
  if (lower === '') return '';
  if (/[^aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(lower)) return `${lower}es`;
  return `${lower}s`;
}

/** Identity of the object under admission (the old object on DELETE). */
export function identifyAdmittedObject(object: unknown, oldObject: unknown): ResourceIdentity | undefined {
  return identifyResource(object) ?? identifyResource(oldObject);
}

/**
 * The `request` variable of a Kubernetes admission expression, as far as it can be known without
 * an API server: kind, resource, name, namespace, operation and the (given or empty) user.
 */
export function buildAdmissionRequest(
  identity: ResourceIdentity | undefined,
  operation: string,
  userInfo: CelUserInfo | undefined,
): Record<string, unknown> {
  const kind = { group: identity?.group ?? '', version: identity?.version ?? '', kind: identity?.kind ?? '' };
  const resource = {
    group: kind.group,
    version: kind.version,
    resource: pluralResourceName(kind.kind),
  };
  return {
    uid: '',
    kind,
    resource,
    subResource: '',
    requestKind: kind,
    requestResource: resource,
    requestSubResource: '',
    name: identity?.name ?? '',
    namespace: identity?.namespace ?? '',
    operation,
    userInfo: {
      username: userInfo?.username ?? '',
      uid: userInfo?.uid ?? '',
      groups: userInfo?.groups ?? [],
      extra: userInfo?.extra ?? {},
    },
    dryRun: false,
  };
}
