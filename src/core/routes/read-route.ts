import type { Manifest } from '../manifests/parse-manifests.ts';
import { normalizeHostname } from './intersect-hostnames.ts';
import { normalizeGrpcMatch, normalizeHttpMatch } from './normalize-route-match.ts';
import { asArray, asPort, asRecord, asString } from './read-fields.ts';
import type { RouteLocation } from './route-finding.ts';
import {
  type BackendRefModel,
  GATEWAY_GROUP,
  locate,
  type MatchModel,
  type ParentRefModel,
  type RouteKind,
  type RouteModel,
  type RuleModel,
} from './route-universe.ts';

function readBackendRef(
  raw: unknown,
  routeNamespace: string,
  manifest: Manifest,
  path: (string | number)[],
): BackendRefModel {
  const b = asRecord(raw);
  const port = asPort(b.port);
  return {
    group: b.group === undefined ? '' : asString(b.group),
    kind: asString(b.kind) || 'Service',
    namespace: asString(b.namespace) || routeNamespace,
    name: asString(b.name),
    ...(port === undefined ? {} : { port }),
    location: locate(manifest, path),
  };
}

/** backendRefs of a rule, plus the ones RequestMirror filters (of the rule or of a backendRef) send copies to. */
function readRuleBackends(rule: Record<string, unknown>, ns: string, m: Manifest, base: (string | number)[]) {
  const refs: BackendRefModel[] = [];
  const readMirrors = (filters: unknown, path: (string | number)[]) => {
    asArray(filters).forEach((raw, f) => {
      const mirror = asRecord(asRecord(raw).requestMirror).backendRef;
      if (mirror)
        refs.push(readBackendRef(mirror, ns, m, [...path, 'filters', f, 'requestMirror', 'backendRef']));
    });
  };
  asArray(rule.backendRefs).forEach((raw, b) => {
    refs.push(readBackendRef(raw, ns, m, [...base, 'backendRefs', b]));
    readMirrors(asRecord(raw).filters, [...base, 'backendRefs', b]); // per-backend filters mirror too
  });
  readMirrors(rule.filters, base);
  return refs;
}

function readMatches(kind: RouteKind, rule: Record<string, unknown>, m: Manifest, base: (string | number)[]) {
  const location = locate(m, base);
  if (kind === 'HTTPRoute' || kind === 'GRPCRoute') {
    const raw = asArray(rule.matches);
    const list = raw.length > 0 ? raw : [{}];
    return list.map((entry, index): MatchModel => {
      const loc = raw.length > 0 ? locate(m, [...base, 'matches', index]) : location;
      if (kind === 'HTTPRoute') {
        const http = normalizeHttpMatch(entry);
        return { index, key: http.key, http, location: loc };
      }
      const grpc = normalizeGrpcMatch(entry);
      return { index, key: grpc.key, grpc, location: loc };
    });
  }
  // TLS/TCP/UDP rules select by listener (and SNI hostname) only: the Route as a whole is one match
  // (see readRoute), so several rules of one L4 Route are not duplicates of each other.
  return [{ index: 0, key: kind, location }];
}

function isL4Kind(kind: RouteKind): boolean {
  return kind === 'TLSRoute' || kind === 'TCPRoute' || kind === 'UDPRoute';
}

export function readRoute(manifest: Manifest, kind: RouteKind, id: string): RouteModel {
  const { namespace, name } = manifest.identity;
  const spec = asRecord(manifest.object.spec);
  const parentRefs = asArray(spec.parentRefs).map((raw, index): ParentRefModel => {
    const p = asRecord(raw);
    const sectionName = asString(p.sectionName);
    const port = asPort(p.port);
    return {
      index,
      group: p.group === undefined ? GATEWAY_GROUP : asString(p.group),
      kind: asString(p.kind) || 'Gateway',
      namespace: asString(p.namespace) || namespace,
      name: asString(p.name),
      ...(sectionName ? { sectionName } : {}),
      ...(port === undefined ? {} : { port }),
      location: locate(manifest, ['spec', 'parentRefs', index]),
    };
  });
  const hasHostnames = kind === 'HTTPRoute' || kind === 'GRPCRoute' || kind === 'TLSRoute';
  const hostnameLocations = new Map<string, RouteLocation>();
  if (hasHostnames) {
    asArray(spec.hostnames).forEach((raw, i) => {
      const h = normalizeHostname(raw);
      if (h && !hostnameLocations.has(h))
        hostnameLocations.set(h, locate(manifest, ['spec', 'hostnames', i]));
    });
  }
  const hostnames = [...hostnameLocations.keys()];
  // HTTPRoute's CRD defaults `rules` to one catch-all rule (PathPrefix /).
  const rawRules = kind === 'HTTPRoute' && spec.rules === undefined ? [{}] : asArray(spec.rules);
  // An L4 Route claims its listener (and SNI hostname) once, whatever its rules: any two TCPRoutes on
  // one listener are duplicates, one TCPRoute with two rules is not.
  const l4 = isL4Kind(kind);
  const rules = (l4 && rawRules.length === 0 ? [{}] : rawRules).map((raw, index): RuleModel => {
    const rule = asRecord(raw);
    const base = ['spec', 'rules', index];
    return {
      index,
      matches: l4 && index > 0 ? [] : readMatches(kind, rule, manifest, base),
      backendRefs: readRuleBackends(rule, namespace, manifest, base),
      location: locate(manifest, base),
    };
  });
  return {
    id,
    namespace,
    name,
    kind,
    location: { file: manifest.file, line: manifest.line },
    manifest,
    hostnames,
    hostnamesLocation: locate(manifest, ['spec', 'hostnames']),
    hostnameLocations,
    parentRefs,
    rules,
  };
}
