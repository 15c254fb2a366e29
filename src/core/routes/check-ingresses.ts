import { type ControllerProfile, resolveControllerProfile } from './controller-profiles.ts';
import { describeHostname } from './intersect-hostnames.ts';
import { INGRESS_NGINX_CONTROLLER, makesHostRegex } from './read-ingress.ts';
import { makeRouteFinding, type RouteFinding } from './route-finding.ts';
import type { IngressModel, IngressPathModel, RouteUniverse } from './route-universe.ts';

/** ingress-nginx owns the class: its IngressClass names that controller, or (none given) it is `nginx`. */
export function isIngressNginxClass(className: string, universe: RouteUniverse): boolean {
  const cls = universe.ingressClasses.get(className);
  return cls ? cls.controller === INGRESS_NGINX_CONTROLLER : className === 'nginx';
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Two or more Ingresses of one class defining the same host + path + pathType (Service backends,
 * same canary flag): what ingress-nginx's admission webhook rejects. ingress-nginx compares host
 * and path only ("host and path already defined"): with the ingress-nginx profile an Exact and a
 * Prefix rule of the same path on two Ingresses collide too. One finding per group.
 */
function findDuplicatePaths(universe: RouteUniverse, profile: ControllerProfile): RouteFinding[] {
  const groups = new Map<string, { ingress: IngressModel; path: IngressPathModel }[]>();
  for (const ingress of universe.ingresses) {
    for (const path of ingress.paths) {
      if (!path.backend) continue;
      const pathType =
        profile.ingressDuplicateIgnoresPathType && isIngressNginxClass(ingress.className, universe)
          ? ''
          : path.pathType;
      const key = [ingress.className, path.host, path.path, pathType, ingress.canary].join('\u0000');
      push(groups, key, { ingress, path });
    }
  }
  const findings: RouteFinding[] = [];
  for (const group of groups.values()) {
    const ingresses = [...new Set(group.map((g) => g.ingress.id))];
    if (ingresses.length < 2) continue;
    const { path, ingress } = group[0]!;
    const host = path.host ? path.host : 'the default server (no host)';
    const pathTypes = [...new Set(group.map((g) => g.path.pathType))].join(' and ');
    findings.push(
      makeRouteFinding(
        'ingress-duplicate-path',
        ingresses,
        `Requests for ${host} ${path.path} (${pathTypes}) are claimed by ${ingresses.join(' and ')} (class ${ingress.className || '<none>'}${ingress.canary ? ', canary' : ''}); ingress-nginx's webhook rejects the newer one ("host and path already defined"), without it only the oldest receives traffic.`,
        group.map((g) => g.path.location),
      ),
    );
  }
  return findings;
}

/**
 * ingress-nginx applies `use-regex`/`rewrite-target` to every path of the host: another Ingress on
 * that host without them silently gets case-insensitive regex prefix matching. One per (class, host).
 */
function findRegexContamination(universe: RouteUniverse): RouteFinding[] {
  const byHost = new Map<string, IngressModel[]>();
  for (const ingress of universe.ingresses) {
    if (!isIngressNginxClass(ingress.className, universe)) continue;
    for (const host of new Set(ingress.paths.map((p) => p.host))) {
      push(byHost, `${ingress.className}\u0000${host}`, ingress);
    }
  }
  const findings: RouteFinding[] = [];
  for (const [key, ingresses] of byHost) {
    const regex = ingresses.filter(makesHostRegex);
    const plain = ingresses.filter((i) => !makesHostRegex(i));
    if (regex.length === 0 || plain.length === 0) continue;
    const host = describeHostname(key.split('\u0000')[1] ?? '');
    findings.push(
      makeRouteFinding(
        'ingress-regex-host-contamination',
        ingresses.map((i) => i.id),
        `${regex.map((i) => i.id).join(', ')} turn${regex.length > 1 ? '' : 's'} on regex paths (use-regex or rewrite-target) for ${host}; ingress-nginx applies that to the whole host, so the paths of ${plain.map((i) => i.id).join(', ')} silently become case-insensitive regex prefix matches.`,
        [
          ...regex.map((i) => annotationsLocation(i)),
          ...plain.map((i) => i.paths[0]?.location ?? i.location),
        ],
      ),
    );
  }
  return findings;
}

function annotationsLocation(ingress: IngressModel) {
  const m = ingress.manifest;
  return m ? { file: m.file, line: m.lineOf(['metadata', 'annotations']) ?? m.line } : ingress.location;
}

export function checkIngresses(
  universe: RouteUniverse,
  profile: ControllerProfile = resolveControllerProfile(undefined),
): RouteFinding[] {
  return [...findDuplicatePaths(universe, profile), ...findRegexContamination(universe)];
}
