import { asRecord, asString } from './read-fields.ts';

/**
 * Normalised match keys: two matches with the same key select exactly the same requests, whatever
 * their spelling (defaults filled in, header names lower-cased, first entry of a repeated name
 * wins, order irrelevant, one trailing `/` of a PathPrefix dropped).
 */

export type HttpPathType = 'Exact' | 'PathPrefix' | 'RegularExpression';

export interface ValueMatch {
  name: string;
  type: string;
  value: string;
}

export interface HttpMatch {
  pathType: HttpPathType | string;
  path: string;
  /** Empty when any method. */
  method: string;
  headers: ValueMatch[];
  queryParams: ValueMatch[];
  key: string;
}

export interface GrpcMatch {
  methodType: string;
  service: string;
  method: string;
  headers: ValueMatch[];
  key: string;
}

/** A PathPrefix value loses one trailing `/` (`/cart/` = `/cart`), `/` stays `/`. */
export function normalizePathPrefix(value: string): string {
  const v = value === '' ? '/' : value;
  return v.length > 1 && v.endsWith('/') ? v.slice(0, -1) : v;
}

/** Header/query matches: type defaults to Exact, first entry of a name wins, sorted by name. */
export function normalizeValueMatches(raw: unknown, caseInsensitiveNames: boolean): ValueMatch[] {
  const byName = new Map<string, ValueMatch>();
  for (const entry of Array.isArray(raw) ? raw : []) {
    const e = asRecord(entry);
    const rawName = asString(e.name);
    if (!rawName) continue;
    const name = caseInsensitiveNames ? rawName.toLowerCase() : rawName;
    if (byName.has(name)) continue;
    byName.set(name, { name, type: asString(e.type) || 'Exact', value: asString(e.value) });
  }
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function valueMatchesKey(list: readonly ValueMatch[]): string {
  return list.map((m) => `${m.name}\u0001${m.type}\u0001${m.value}`).join('\u0002');
}

/** One HTTPRoute match (a missing match = `PathPrefix /`). */
export function normalizeHttpMatch(raw: unknown): HttpMatch {
  const m = asRecord(raw);
  const p = asRecord(m.path);
  const pathType = asString(p.type) || 'PathPrefix';
  const rawValue = asString(p.value) || '/';
  const path = pathType === 'PathPrefix' ? normalizePathPrefix(rawValue) : rawValue;
  const method = asString(m.method);
  const headers = normalizeValueMatches(m.headers, true);
  const queryParams = normalizeValueMatches(m.queryParams, false);
  const key = ['http', pathType, path, method, valueMatchesKey(headers), valueMatchesKey(queryParams)].join(
    '\u0000',
  );
  return { pathType, path, method, headers, queryParams, key };
}

/** One GRPCRoute match (a missing match = every service and method). */
export function normalizeGrpcMatch(raw: unknown): GrpcMatch {
  const m = asRecord(raw);
  const method = asRecord(m.method);
  const methodType = asString(method.type) || 'Exact';
  const service = asString(method.service);
  const name = asString(method.method);
  const headers = normalizeValueMatches(m.headers, true);
  const key = ['grpc', methodType, service, name, valueMatchesKey(headers)].join('\u0000');
  return { methodType, service, method: name, headers, key };
}

function describeConstraints(label: string, list: readonly ValueMatch[], sep: string): string[] {
  return list.map((m) =>
    m.type === 'Exact' ? `${label} ${m.name}${sep}${m.value}` : `${label} ${m.name} ~ /${m.value}/`,
  );
}

/** A concrete request the match accepts, e.g. `GET cafe.example.com/coffee with header version: v2`. */
export function describeHttpRequest(match: HttpMatch, hostname: string): string {
  const host = hostname === '' ? '<any host>' : hostname;
  const path = match.pathType === 'RegularExpression' ? `<path matching ${match.path}>` : match.path;
  const below = match.pathType !== 'PathPrefix' ? '' : match.path === '/' ? ' (any path)' : ' (and below)';
  const base = `${match.method || 'GET'} ${host}${path}${below}`;
  const extra = [
    ...describeConstraints('header', match.headers, ': '),
    ...describeConstraints('query', match.queryParams, '='),
  ];
  return extra.length ? `${base} with ${extra.join(' and ')}` : base;
}

export function describeGrpcRequest(match: GrpcMatch, hostname: string): string {
  const host = hostname === '' ? '<any host>' : hostname;
  const target =
    match.service || match.method
      ? `${match.service || '<any service>'}/${match.method || '<any method>'}`
      : 'any gRPC method';
  const extra = describeConstraints('header', match.headers, ': ');
  return `gRPC ${target} on ${host}${extra.length ? ` with ${extra.join(' and ')}` : ''}`;
}
