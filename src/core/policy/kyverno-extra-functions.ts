/**
 * Kyverno JMESPath functions built on node:crypto and small parsers: sha256, x509_decode, random,
 * image_normalize, time_to_cron. Pure (node:crypto does no I/O).
 */
import { createHash, randomInt, X509Certificate } from 'node:crypto';
import type { JSONValue } from '@jmespath-community/jmespath';

type Fn = (args: JSONValue[]) => JSONValue;

function str(value: unknown, fn: string): string {
  if (typeof value === 'string') return value;
  throw new Error(`${fn}: expected a string, got ${JSON.stringify(value)}`);
}

const NAME_FIELDS: Record<string, string> = {
  C: 'Country',
  O: 'Organization',
  OU: 'OrganizationalUnit',
  L: 'Locality',
  ST: 'Province',
  street: 'StreetAddress',
  postalCode: 'PostalCode',
};

/** node's `CN=x\nO=y` distinguished name → Go's pkix.Name JSON shape. */
function pkixName(dn: string): Record<string, JSONValue> {
  const out: Record<string, JSONValue> = {
    Country: null,
    Organization: null,
    OrganizationalUnit: null,
    Locality: null,
    Province: null,
    StreetAddress: null,
    PostalCode: null,
    SerialNumber: '',
    CommonName: '',
  };
  for (const line of dn.split('\n')) {
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq);
    const value = line.slice(eq + 1);
    if (key === 'CN') out.CommonName = value;
    else if (key === 'serialNumber') out.SerialNumber = value;
    else if (Object.hasOwn(NAME_FIELDS, key))
      out[NAME_FIELDS[key]!] = [...((out[NAME_FIELDS[key]!] as string[] | null) ?? []), value];
  }
  return out;
}

function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}

/** Go x509.Certificate fields policies read (Subject, Issuer, NotBefore, NotAfter, DNSNames, IsCA...). */
function decodeCertificate(pem: string): JSONValue {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch (error) {
    throw new Error(`x509_decode: ${error instanceof Error ? error.message : error}`);
  }
  const san = cert.subjectAltName ?? '';
  const sanOf = (prefix: string) =>
    san
      .split(/,\s*/)
      .filter((s) => s.startsWith(`${prefix}:`))
      .map((s) => s.slice(prefix.length + 1));
  const list = (items: string[]) => (items.length ? items : null);
  return {
    Version: 3,
    SerialNumber: Number.parseInt(cert.serialNumber, 16),
    Issuer: pkixName(cert.issuer),
    Subject: pkixName(cert.subject),
    NotBefore: rfc3339(Date.parse(cert.validFrom)),
    NotAfter: rfc3339(Date.parse(cert.validTo)),
    IsCA: cert.ca,
    BasicConstraintsValid: cert.ca,
    DNSNames: list(sanOf('DNS')),
    EmailAddresses: list(sanOf('email')),
    IPAddresses: list(sanOf('IP Address')),
    URIs: list(sanOf('URI')),
    PublicKeyAlgorithm:
      ({ rsa: 1, dsa: 2, ec: 3, ed25519: 4 } as Record<string, number>)[
        cert.publicKey.asymmetricKeyType ?? ''
      ] ?? 0,
  };
}

const CLASSES: Record<string, string> = {
  d: '0123456789',
  w: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_',
  s: ' ',
};

/** A string matching a simple regular expression (classes, literals, `{n}`, `{n,m}`, `?`, `*`, `+`). */
function randomFromPattern(pattern: string): string {
  let out = '';
  let i = 0;
  const atom = (): string => {
    const c = pattern[i]!;
    if (c === '\\') {
      const e = pattern[i + 1]!;
      i += 2;
      return CLASSES[e] ?? e;
    }
    if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) throw new Error('random: unterminated character class');
      const body = pattern.slice(i + 1, end);
      i = end + 1;
      let chars = '';
      for (let j = 0; j < body.length; j++) {
        if (body[j] === '\\') {
          chars += CLASSES[body[j + 1]!] ?? body[j + 1];
          j++;
        } else if (body[j + 1] === '-' && j + 2 < body.length) {
          for (let code = body.charCodeAt(j); code <= body.charCodeAt(j + 2); code++)
            chars += String.fromCharCode(code);
          j += 2;
        } else chars += body[j];
      }
      return chars;
    }
    i++;
    return c === '.' ? CLASSES.w! : c;
  };
  while (i < pattern.length) {
    if (pattern[i] === '^' || pattern[i] === '$') {
      i++;
      continue;
    }
    const chars = atom();
    let min = 1;
    let max = 1;
    const q = /^(\{(\d+)(?:,(\d*))?\}|[?*+])/.exec(pattern.slice(i));
    if (q) {
      i += q[0].length;
      if (q[0] === '?') [min, max] = [0, 1];
      else if (q[0] === '*') [min, max] = [0, 10];
      else if (q[0] === '+') [min, max] = [1, 10];
      else {
        min = Number(q[2]);
        max = q[3] === undefined ? min : q[3] === '' ? min + 10 : Number(q[3]);
      }
    }
    const n = min === max ? min : randomInt(min, max + 1);
    for (let k = 0; k < n; k++) out += chars[randomInt(chars.length)];
  }
  return out;
}

/** `nginx` → `docker.io/nginx:latest`; keeps registries, tags and digests (Kyverno's image parsing). */
function normalizeImage(image: string): string {
  const trimmed = image.trim();
  if (!trimmed) throw new Error('image_normalize: empty image');
  const [name, digest] = trimmed.split('@') as [string, string | undefined];
  const slash = name.indexOf('/');
  const first = slash >= 0 ? name.slice(0, slash) : '';
  const hasRegistry = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  let reference = hasRegistry ? name : `docker.io/${name}`;
  const lastSlash = reference.lastIndexOf('/');
  if (!digest && !reference.slice(lastSlash + 1).includes(':')) reference += ':latest';
  return digest ? `${reference}@${digest}` : reference;
}

export const EXTRA_FUNCTIONS: Record<string, { fn: Fn; arity: number }> = {
  sha256: { arity: 1, fn: ([s]) => createHash('sha256').update(str(s, 'sha256')).digest('hex') },
  x509_decode: { arity: 1, fn: ([s]) => decodeCertificate(str(s, 'x509_decode')) },
  random: { arity: 1, fn: ([s]) => randomFromPattern(str(s, 'random')) },
  image_normalize: { arity: 1, fn: ([s]) => normalizeImage(str(s, 'image_normalize')) },
  time_to_cron: {
    arity: 1,
    fn: ([t]) => {
      const d = new Date(str(t, 'time_to_cron'));
      if (Number.isNaN(d.getTime())) throw new Error(`time_to_cron: invalid time ${JSON.stringify(t)}`);
      return `${d.getUTCMinutes()} ${d.getUTCHours()} ${d.getUTCDate()} ${d.getUTCMonth() + 1} ${d.getUTCDay()}`;
    },
  },
};
