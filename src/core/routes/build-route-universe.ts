import type { Manifest } from '../manifests/parse-manifests.ts';
import { formatResourceId } from '../manifests/resource-identity.ts';
import type { ControllerName } from './controller-profiles.ts';
import { asArray, asPort, asRecord, asString, asStringMap } from './read-fields.ts';
import { readGateway } from './read-gateway.ts';
import { readIngress, readIngressClass } from './read-ingress.ts';
import { readRoute } from './read-route.ts';
import {
  GATEWAY_GROUP,
  type IngressModel,
  type ReferenceGrantModel,
  ROUTE_KINDS,
  type RouteKind,
  type RouteModel,
  type RouteUniverse,
  type ServiceModel,
} from './route-universe.ts';

export interface AnalyzeRoutesOptions {
  /**
   * Objects that exist outside the set under review (another repository, the cluster): either
   * `Kind/namespace/name` ids (known to exist, contents unknown) or full manifests (they take part
   * in the analysis). Findings that involve only external objects are not reported.
   */
  external?: readonly (string | Manifest)[];
  /** The controller whose documented behaviour applies where it differs from the spec. */
  controller?: ControllerName;
  /**
   * Labels of Namespaces that are not among the files (declared in `.tollgate.yml` or with
   * `--external`): a listener's `from: Selector` is decided with them. A Namespace object in the
   * files wins.
   */
  namespaceLabels?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

const INGRESS_GROUPS = new Set(['networking.k8s.io', 'extensions']);

function isRouteKind(kind: string): kind is RouteKind {
  return (ROUTE_KINDS as readonly string[]).includes(kind);
}

function readService(manifest: Manifest, id: string): ServiceModel {
  const spec = asRecord(manifest.object.spec);
  return {
    id,
    namespace: manifest.identity.namespace,
    name: manifest.identity.name,
    location: { file: manifest.file, line: manifest.line },
    manifest,
    ports: asArray(spec.ports).map((raw) => {
      const p = asRecord(raw);
      const port = asPort(p.port);
      return { ...(port === undefined ? {} : { port }), name: asString(p.name) };
    }),
    // An ExternalName Service may legitimately list no ports.
    opaque: asString(spec.type) === 'ExternalName' && asArray(spec.ports).length === 0,
  };
}

/** `Kind/namespace/name` -> parts (cluster-scoped `Kind/name` has an empty namespace). */
function parseObjectId(id: string): { kind: string; namespace: string; name: string } | undefined {
  const parts = id.split('/');
  if (parts.length === 3) return { kind: parts[0]!, namespace: parts[1]!, name: parts[2]! };
  if (parts.length === 2) return { kind: parts[0]!, namespace: '', name: parts[1]! };
  return undefined;
}

/** Reads the manifests (and external objects) into the typed model the checks run on. */
export function buildRouteUniverse(
  manifests: readonly Manifest[],
  options: AnalyzeRoutesOptions = {},
): RouteUniverse {
  const externalManifests = (options.external ?? []).filter((e): e is Manifest => typeof e !== 'string');
  const all = [...externalManifests, ...manifests]; // later wins: the reviewed set overrides
  const universe: RouteUniverse = {
    gateways: new Map(),
    routes: [],
    services: new Map(),
    namespaceLabels: new Map(),
    referenceGrants: new Map(),
    ingresses: [],
    ingressClasses: new Map(),
    reviewedIds: new Set(manifests.map((m) => formatResourceId(m.identity))),
  };
  for (const m of all) {
    if (m.identity.kind === 'IngressClass' && INGRESS_GROUPS.has(m.identity.group)) {
      universe.ingressClasses.set(m.identity.name, readIngressClass(m));
    }
  }
  const defaultClass = [...universe.ingressClasses.values()].find((c) => c.isDefault)?.name ?? '';
  const routes = new Map<string, RouteModel>();
  const ingresses = new Map<string, IngressModel>();
  const grants = new Map<string, ReferenceGrantModel>();
  for (const m of all) {
    const { group, kind, namespace, name } = m.identity;
    if (!name) continue; // an object without a name cannot exist (the API rejects it)
    const id = formatResourceId(m.identity);
    const key = `${namespace}/${name}`;
    if (group === GATEWAY_GROUP && kind === 'Gateway') universe.gateways.set(key, readGateway(m, id));
    else if (group === GATEWAY_GROUP && isRouteKind(kind)) routes.set(id, readRoute(m, kind, id));
    else if (group === GATEWAY_GROUP && kind === 'ReferenceGrant') {
      const spec = asRecord(m.object.spec);
      grants.set(id, {
        id,
        namespace,
        name,
        from: asArray(spec.from).map((raw) => {
          const f = asRecord(raw);
          return { group: asString(f.group), kind: asString(f.kind), namespace: asString(f.namespace) };
        }),
        to: asArray(spec.to).map((raw) => {
          const t = asRecord(raw);
          const toName = asString(t.name);
          return { group: asString(t.group), kind: asString(t.kind), ...(toName ? { name: toName } : {}) };
        }),
      });
    } else if (group === '' && kind === 'Service') universe.services.set(key, readService(m, id));
    else if (group === '' && kind === 'Namespace') {
      universe.namespaceLabels.set(name, asStringMap(asRecord(m.object.metadata).labels));
    } else if (INGRESS_GROUPS.has(group) && kind === 'Ingress')
      ingresses.set(id, readIngress(m, id, defaultClass));
  }
  // Declared labels of Namespaces not among the files (a Namespace object in the files wins).
  for (const [namespace, labels] of Object.entries(options.namespaceLabels ?? {})) {
    if (!universe.namespaceLabels.has(namespace)) universe.namespaceLabels.set(namespace, { ...labels });
  }
  universe.routes = [...routes.values()];
  universe.ingresses = [...ingresses.values()];
  for (const grant of grants.values()) {
    const list = universe.referenceGrants.get(grant.namespace) ?? [];
    list.push(grant);
    universe.referenceGrants.set(grant.namespace, list);
  }
  for (const entry of options.external ?? []) {
    if (typeof entry !== 'string') continue;
    const ref = parseObjectId(entry);
    if (!ref) continue;
    const { kind, namespace, name } = ref;
    const key = `${namespace}/${name}`;
    if (kind === 'Gateway' && !universe.gateways.has(key)) {
      universe.gateways.set(key, { id: entry, namespace, name, listeners: [], opaque: true });
    } else if (kind === 'Service' && !universe.services.has(key)) {
      universe.services.set(key, { id: entry, namespace, name, ports: [], opaque: true });
    }
  }
  return universe;
}
