import { type Environment, EvaluationError } from '@marcbachmann/cel-js';

/** A parsed URL the way Go's `url.ParseRequestURI` splits it (no normalisation). */
export class CelUrl {
  constructor(
    readonly text: string,
    readonly scheme: string,
    readonly host: string,
    readonly path: string,
    readonly query: string,
  ) {}
}

const ABSOLUTE_URL = /^([a-zA-Z][a-zA-Z0-9+.-]*):(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?$/;
const ABSOLUTE_PATH = /^(\/[^?#]*)(?:\?([^#]*))?$/;

export function parseCelUrl(text: string): CelUrl | undefined {
  if (/\s/.test(text)) return undefined;
  const absolute = ABSOLUTE_URL.exec(text);
  if (absolute) {
    const [, scheme = '', host = '', path = '', query = ''] = absolute;
    return new CelUrl(text, scheme, host, path, query);
  }
  const pathOnly = ABSOLUTE_PATH.exec(text);
  if (pathOnly) return new CelUrl(text, '', '', pathOnly[1] ?? '', pathOnly[2] ?? '');
  return undefined;
}

function splitHost(host: string): { hostname: string; port: string } {
  const withoutUser = host.slice(host.lastIndexOf('@') + 1);
  const bracketed = /^\[([^\]]*)\](?::(\d*))?$/.exec(withoutUser);
  if (bracketed) return { hostname: bracketed[1] ?? '', port: bracketed[2] ?? '' };
  const colon = withoutUser.lastIndexOf(':');
  return colon < 0
    ? { hostname: withoutUser, port: '' }
    : { hostname: withoutUser.slice(0, colon), port: withoutUser.slice(colon + 1) };
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

function queryOf(url: CelUrl): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const pair of url.query.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const key = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decode(pair.slice(eq + 1));
    out.set(key, [...(out.get(key) ?? []), value]);
  }
  return out;
}

/** The Kubernetes CEL URL library: `url('https://x:8080/p?q=1').getHostname()` and friends. */
export function registerUrlLibrary(env: Environment): void {
  env
    .registerType('net.URL', CelUrl)
    .registerFunction('url(string): net.URL', (text: string) => {
      const url = parseCelUrl(text);
      if (!url) throw new EvaluationError(`URL parse error during conversion from string: ${text}`);
      return url;
    })
    .registerFunction('isURL(string): bool', (text: string) => parseCelUrl(text) !== undefined)
    .registerFunction('net.URL.getScheme(): string', (u: CelUrl) => u.scheme)
    .registerFunction('net.URL.getHost(): string', (u: CelUrl) => u.host.slice(u.host.lastIndexOf('@') + 1))
    .registerFunction('net.URL.getHostname(): string', (u: CelUrl) => splitHost(u.host).hostname)
    .registerFunction('net.URL.getPort(): string', (u: CelUrl) => splitHost(u.host).port)
    .registerFunction('net.URL.getEscapedPath(): string', (u: CelUrl) => u.path)
    .registerFunction('net.URL.getQuery(): map<string, list<string>>', queryOf);
}
