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

function matchResourceDescription(res: JsonObject, s: MatchSubject): boolean {
  const kinds = strings(res.kinds);
  if (kinds.length > 0 && !kinds.some((k) => matchKind(k, s))) return false;
  const names = [...strings(res.names), ...(typeof res.name === 'string' ? [res.name] : [])];
  if (names.length > 0 && !names.some((n) => matchWildcard(n, s.name))) return false;
  const namespaces = strings(res.namespaces);
  if (namespaces.length > 0) {
    const ns = s.kind === 'Namespace' ? s.name : s.namespace;
    if (!ns || !namespaces.some((n) => matchWildcard(n, ns))) return false;
  }
  if (isJsonObject(res.annotations)) {
    for (const [k, v] of Object.entries(res.annotations)) {
      const keys = Object.keys(s.annotations).filter((a) => matchWildcard(k, a));
      if (!keys.some((a) => matchWildcard(String(v), s.annotations[a] ?? ''))) return false;
    }
  }
  if (res.selector !== undefined && !matchLabelSelector(res.selector, s.labels)) return false;
  if (res.namespaceSelector !== undefined) {
    const labels = s.kind === 'Namespace' ? s.labels : s.namespaceLabels;
    // Unknown namespace labels are an empty set (as the Kyverno CLI without a values entry).
    if (!matchLabelSelector(res.namespaceSelector, labels ?? {})) return false;
  }
  const operations = strings(res.operations);
  if (operations.length > 0 && !operations.includes(s.operation)) return false;
  return true;
}

/** One resource filter: `resources` plus user-info fields, which an offline run never satisfies. */
function matchFilter(filter: JsonObject, s: MatchSubject): boolean {
  const hasUserInfo = ['subjects', 'roles', 'clusterRoles'].some(
    (k) => Array.isArray(filter[k]) && (filter[k] as unknown[]).length > 0,
  );
  if (hasUserInfo) return false;
  if (!isJsonObject(filter.resources)) return false;
  return matchResourceDescription(filter.resources, s);
}

/** `match`/`exclude` block: `any` (one filter), `all` (every filter), or the legacy direct form. */
export function matchBlock(block: unknown, s: MatchSubject): boolean {
  if (!isJsonObject(block)) return false;
  const any = Array.isArray(block.any) ? block.any.filter(isJsonObject) : [];
  const all = Array.isArray(block.all) ? block.all.filter(isJsonObject) : [];
  if (any.length > 0) return any.some((f) => matchFilter(f, s));
  if (all.length > 0) return all.every((f) => matchFilter(f, s));
  if (isJsonObject(block.resources) || block.subjects || block.roles || block.clusterRoles) {
    return matchFilter(block, s);
  }
  return false;
}

/** Whether a rule applies: its `match` selects the object and its `exclude` does not. */
export function matchRule(rule: JsonObject, s: MatchSubject): boolean {
  if (!matchBlock(rule.match, s)) return false;
  if (rule.exclude !== undefined && matchBlock(rule.exclude, s)) return false;
  return true;
}
