import { isJsonObject, type JsonObject } from './kyverno-policy.ts';
import { matchLabelSelector } from './match-label-selector.ts';
import { matchWildcard } from './match-wildcard.ts';

/** What match/exclude look at: the object's identity, labels, namespace labels and the operation. */
export interface MatchSubject {
  group: string;
  version: string;
  kind: string;
  name: string;
  /** '' for cluster-scoped objects. */
  namespace: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Labels of the object's Namespace when known (namespaceSelector needs them). */
  namespaceLabels?: Record<string, string>;
  operation: string;
  /** `metadata.generateName`, matched by names when the object has no name. */
  generateName?: string;
  /** The requester (roles, cluster roles, user); absent or empty: unknown, as offline. */
  requestInfo?: RequestInfo;
}

/** Kyverno's RequestInfo (a `kyverno test` userinfo file): who sends the admission request. */
export interface RequestInfo {
  roles?: string[];
  clusterRoles?: string[];
  userInfo?: { username?: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> };
}

export function isEmptyRequestInfo(info: RequestInfo | undefined): boolean {
  if (!info) return true;
  const user = info.userInfo ?? {};
  return (
    !info.roles?.length &&
    !info.clusterRoles?.length &&
    !user.username &&
    !user.uid &&
    !user.groups?.length &&
    Object.keys(user.extra ?? {}).length === 0
  );
}

interface KindSelector {
  group?: string;
  version?: string;
  kind: string;
  subresource?: string;
}

const kindCache = new Map<string, KindSelector>();

/** `Kind`, `Version/Kind`, `Group/Version/Kind`, each optionally `/subresource`; `*` wildcards. */
export function parseKindSelector(text: string): KindSelector {
  const cached = kindCache.get(text);
  if (cached) return cached;
  const parts = text.trim().split('/');
  const isKind = (s: string | undefined) => !!s && (/^[A-Z]/.test(s) || s === '*');
  let sel: KindSelector;
  if (parts.length === 1) sel = { kind: parts[0]! };
  else if (parts.length === 2) {
    sel =
      isKind(parts[0]) && parts[0] !== '*'
        ? { kind: parts[0]!, subresource: parts[1]! }
        : { version: parts[0]!, kind: parts[1]! };
  } else if (parts.length === 3) {
    sel =
      isKind(parts[1]) && parts[1] !== '*' && !isKind(parts[2])
        ? { version: parts[0]!, kind: parts[1]!, subresource: parts[2]! }
        : { group: parts[0]!, version: parts[1]!, kind: parts[2]! };
  } else
    sel = { group: parts[0]!, version: parts[1]!, kind: parts[2]!, subresource: parts.slice(3).join('/') };
  kindCache.set(text, sel);
  return sel;
}

export function matchKind(
  selector: string,
  subject: Pick<MatchSubject, 'group' | 'version' | 'kind'>,
): boolean {
  const sel = parseKindSelector(selector);
  if (sel.subresource && sel.subresource !== '*') return false;
  if (!matchWildcard(sel.kind, subject.kind)) return false;
  if (sel.version !== undefined && !matchWildcard(sel.version, subject.version)) return false;
  if (sel.group !== undefined && !matchWildcard(sel.group, subject.group)) return false;
  return true;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : [];
}

interface Description {
  operations: string[];
  kinds: string[];
  name: string;
  names: string[];
  namespaces: string[];
  annotations: [string, string][];
  selector: unknown;
  namespaceSelector: unknown;
}

const descriptions = new WeakMap<JsonObject, Description>();

function describe(res: JsonObject): Description {
  let d = descriptions.get(res);
  if (!d) {
    d = {
      operations: strings(res.operations),
      kinds: strings(res.kinds),
      name: typeof res.name === 'string' ? res.name : '',
      names: strings(res.names),
      namespaces: strings(res.namespaces),
      annotations: isJsonObject(res.annotations)
        ? Object.entries(res.annotations).map(([k, v]): [string, string] => [k, String(v)])
        : [],
      selector: res.selector ?? undefined,
      namespaceSelector: res.namespaceSelector ?? undefined,
    };
    descriptions.set(res, d);
  }
  return d;
}

/** Whether a resource description (kinds, names, namespaces, selectors, operations) selects the subject. */
function matchResourceDescription(res: JsonObject, s: MatchSubject): boolean {
  const d = describe(res);
  if (d.operations.length > 0 && !d.operations.includes(s.operation)) return false;
  if (d.kinds.length > 0 && !d.kinds.some((k) => matchKind(k, s))) return false;
  const name = s.name || s.generateName || '';
  if (d.name && !matchWildcard(d.name, name)) return false;
  if (d.names.length > 0 && !d.names.some((n) => matchWildcard(n, name))) return false;
  if (d.namespaces.length > 0) {
    const ns = s.kind === 'Namespace' ? s.name : s.namespace;
    if (!d.namespaces.some((n) => matchWildcard(n, ns))) return false;
  }
  for (const [k, v] of d.annotations) {
    const keys = Object.keys(s.annotations).filter((a) => matchWildcard(k, a));
    if (!keys.some((a) => matchWildcard(v, s.annotations[a] ?? ''))) return false;
  }
  if (d.selector !== undefined && !matchLabelSelector(d.selector, s.labels)) return false;
  if (d.namespaceSelector !== undefined) {
    // Kyverno: a namespaceSelector never selects a Namespace itself; unknown labels are an empty set.
    if (s.kind === 'Namespace') return false;
    if (!matchLabelSelector(d.namespaceSelector, s.namespaceLabels ?? {})) return false;
  }
  return true;
}

interface Subject {
  kind?: string;
  name?: string;
  namespace?: string;
}

/** Kyverno's user-info check: each of roles, clusterRoles, subjects that is set must hold. */
function matchUserInfo(filter: JsonObject, info: RequestInfo | undefined): boolean {
  const roles = strings(filter.roles);
  if (roles.length > 0 && !(info?.roles ?? []).some((r) => roles.includes(r))) return false;
  const clusterRoles = strings(filter.clusterRoles);
  if (clusterRoles.length > 0 && !(info?.clusterRoles ?? []).some((r) => clusterRoles.includes(r))) {
    return false;
  }
  const subjects = Array.isArray(filter.subjects) ? (filter.subjects.filter(isJsonObject) as Subject[]) : [];
  if (subjects.length > 0) {
    const username = info?.userInfo?.username ?? '';
    const groups = info?.userInfo?.groups ?? [];
    const hit = subjects.some((sub) => {
      const name = String(sub.name ?? '');
      if (sub.kind === 'ServiceAccount') {
        return matchWildcard(`system:serviceaccount:${sub.namespace ?? ''}:${name}`, username);
      }
      if (sub.kind === 'Group') return groups.some((g) => matchWildcard(name, g));
      if (sub.kind === 'User') return matchWildcard(name, username);
      return false;
    });
    if (!hit) return false;
  }
  return true;
}

const USER_INFO_KEYS = ['subjects', 'roles', 'clusterRoles'];

interface FilterShape {
  resources: JsonObject | undefined;
  userInfo: boolean;
}

const shapes = new WeakMap<JsonObject, FilterShape>();

function shapeOf(filter: JsonObject): FilterShape {
  let shape = shapes.get(filter);
  if (!shape) {
    const res = filter.resources;
    shape = {
      resources: isJsonObject(res) && Object.keys(res).length > 0 ? res : undefined,
      userInfo: USER_INFO_KEYS.some((k) => Array.isArray(filter[k]) && (filter[k] as unknown[]).length > 0),
    };
    shapes.set(filter, shape);
  }
  return shape;
}

/**
 * One match filter. As Kyverno, without request info (offline, no userinfo file) the user-info
 * part of a match filter is ignored, and a filter left empty matches nothing.
 */
function matchFilter(filter: JsonObject, s: MatchSubject): boolean {
  const { resources, userInfo } = shapeOf(filter);
  const useUserInfo = userInfo && s.requestInfo !== undefined && !isEmptyRequestInfo(s.requestInfo);
  if (!resources && !useUserInfo) return false;
  if (resources && !matchResourceDescription(resources, s)) return false;
  return !useUserInfo || matchUserInfo(filter, s.requestInfo);
}

/** One exclude filter: user info always counts (an unknown requester never satisfies it). */
function excludeFilter(filter: JsonObject, s: MatchSubject): boolean {
  const { resources, userInfo } = shapeOf(filter);
  if (!resources && !userInfo) return false;
  if (resources && !matchResourceDescription(resources, s)) return false;
  return !userInfo || matchUserInfo(filter, s.requestInfo);
}

interface Filters {
  any: JsonObject[];
  all: JsonObject[];
  legacy?: JsonObject;
}

const blocks = new WeakMap<JsonObject, Filters>();

function filters(block: JsonObject): Filters {
  let f = blocks.get(block);
  if (!f) {
    const any = Array.isArray(block.any) ? block.any.filter(isJsonObject) : [];
    const all = Array.isArray(block.all) ? block.all.filter(isJsonObject) : [];
    f = any.length > 0 || all.length > 0 ? { any, all } : { any, all, legacy: block };
    blocks.set(block, f);
  }
  return f;
}

/** `match` block: `any` (one filter), `all` (every filter), or the legacy direct form. */
export function matchBlock(block: unknown, s: MatchSubject): boolean {
  if (!isJsonObject(block)) return false;
  const { any, all, legacy } = filters(block);
  if (any.length > 0) return any.some((f) => matchFilter(f, s));
  if (all.length > 0) return all.every((f) => matchFilter(f, s));
  return legacy ? matchFilter(legacy, s) : false;
}

/** `exclude` block: excluded when any (`any`), every (`all`) or the legacy filter selects. */
export function excludeBlock(block: unknown, s: MatchSubject): boolean {
  if (!isJsonObject(block)) return false;
  const { any, all, legacy } = filters(block);
  if (any.length > 0) return any.some((f) => excludeFilter(f, s));
  if (all.length > 0) return all.every((f) => excludeFilter(f, s));
  return legacy ? excludeFilter(legacy, s) : false;
}

/** Whether a rule applies: its `match` selects the object and its `exclude` does not. */
export function matchRule(rule: JsonObject, s: MatchSubject): boolean {
  if (!matchBlock(rule.match, s)) return false;
  if (rule.exclude !== undefined && excludeBlock(rule.exclude, s)) return false;
  return true;
}
