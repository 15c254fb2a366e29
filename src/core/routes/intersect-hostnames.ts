/**
 * Gateway API hostname semantics. `''` stands for "unset" (any hostname). A wildcard `*.example.com`
 * matches one or more labels on a label boundary (`a.example.com`, `a.b.example.com`), never
 * `example.com` itself.
 */

export function isWildcardHostname(hostname: string): boolean {
  return hostname.startsWith('*.');
}

export function normalizeHostname(hostname: unknown): string {
  return typeof hostname === 'string' ? hostname.trim().toLowerCase().replace(/\.$/, '') : '';
}

/** True when the wildcard `*.s` covers `hostname` (precise, or a wildcard equal to or inside it). */
export function wildcardCovers(wildcard: string, hostname: string): boolean {
  const base = wildcard.slice(2);
  if (isWildcardHostname(hostname)) {
    const inner = hostname.slice(2);
    return inner === base || inner.endsWith(`.${base}`);
  }
  return hostname.endsWith(`.${base}`);
}

/**
 * Intersection of a listener hostname and a route hostname: unset side gives the other; two precise
 * ones must be equal; wildcard vs precise gives the precise one if covered; two wildcards give the
 * more specific one when it lies inside the other. `undefined` when they do not intersect.
 */
export function intersectHostnames(a: string, b: string): string | undefined {
  if (a === '') return b;
  if (b === '') return a;
  const wa = isWildcardHostname(a);
  const wb = isWildcardHostname(b);
  if (!wa && !wb) return a === b ? a : undefined;
  if (wa && !wb) return wildcardCovers(a, b) ? b : undefined;
  if (!wa && wb) return wildcardCovers(b, a) ? a : undefined;
  if (wildcardCovers(a, b)) return b;
  if (wildcardCovers(b, a)) return a;
  return undefined;
}

/** Whether a listener hostname accepts requests for the precise `host`. */
export function hostnameMatchesHost(listenerHostname: string, host: string): boolean {
  if (listenerHostname === '') return true;
  if (isWildcardHostname(listenerHostname)) return wildcardCovers(listenerHostname, host);
  return listenerHostname === host;
}

/** Rank for "most specific hostname wins": precise beats wildcards, longer wildcards beat shorter, unset last. */
export function hostnameSpecificity(hostname: string): number {
  if (hostname === '') return 0;
  if (isWildcardHostname(hostname)) return 1 + hostname.length;
  return 1_000_000 + hostname.length;
}

/** Proper DNS suffixes of `name`: `a.b.c` -> `b.c`, `c`. */
export function properSuffixes(name: string): string[] {
  const out: string[] = [];
  let i = name.indexOf('.');
  while (i >= 0) {
    out.push(name.slice(i + 1));
    i = name.indexOf('.', i + 1);
  }
  return out;
}

/** Human form of a hostname for messages. */
export function describeHostname(hostname: string): string {
  return hostname === '' ? 'any host' : hostname;
}
