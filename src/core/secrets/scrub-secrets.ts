export const REDACTED = '[redacted]';

/** Keys whose value is a credential wherever they appear (headers, configs, errors). */
const SECRET_KEY =
  /^(authorization|proxy-authorization|cookie|set-cookie|private-token|x-gitlab-token|x-hub-signature(-256)?|token|access_token|private_token|refresh_token|client_secret|password|passwd|secret|webhook_?secret|private_?key|jwt|api_?key)$/i;

/** Credentials recognisable in free text: messages, URLs, stack traces. */
const SECRET_TEXT: [RegExp, string][] = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g, REDACTED],
  [/\b(gh[pousr]_|github_pat_)[A-Za-z0-9_]{16,}/g, REDACTED],
  [/\bglpat-[A-Za-z0-9_-]{16,}/g, REDACTED],
  [/\b(Bearer|token|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${REDACTED}`],
  [/([?&](private_token|access_token|token|client_secret)=)[^&\s#"']+/gi, `$1${REDACTED}`],
  [/(\/\/[^/\s:@]+:)[^@\s/]+@/g, `$1${REDACTED}@`],
];

export function scrubText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRET_TEXT) out = out.replace(pattern, replacement);
  return out;
}

const MAX_DEPTH = 10;

/**
 * A copy of `value` with credentials removed: values of secret-named keys, the `data`/`stringData`
 * of Kubernetes Secrets, and tokens, keys and passwords inside strings. Never mutates its input.
 * Error instances are left to the `err` serializer (which scrubs its own output).
 */
export function scrubSecrets(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Error || value instanceof Date || depth > MAX_DEPTH) return value;
  if (value instanceof URL) return scrubText(value.href);
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => scrubSecrets(item, depth + 1, seen));
  // Plain objects, including pino's serialized errors (made with Object.create of a plain object).
  const isPlain = Object.getPrototypeOf(value) === null || (value as object).constructor === Object;
  if (!isPlain) {
    // Headers, Request, Buffer...: log them as their type only, never their content.
    return `[${(value as object).constructor?.name ?? 'object'}]`;
  }
  const object = value as Record<string, unknown>;
  const isSecretObject = object.kind === 'Secret';
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(object)) {
    if (key === '__proto__') continue; // would set the copy's prototype
    if (item !== undefined && item !== null && SECRET_KEY.test(key)) out[key] = REDACTED;
    else if (isSecretObject && (key === 'data' || key === 'stringData')) out[key] = REDACTED;
    else out[key] = scrubSecrets(item, depth + 1, seen);
  }
  return out;
}
