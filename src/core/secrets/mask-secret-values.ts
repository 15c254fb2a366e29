import { isSecret } from '../diff/normalize-for-diff.ts';
import type { Finding } from '../findings/finding.ts';
import { isPlainObject } from '../render/apply-strategic-merge-patch.ts';

/** One way a Secret value can appear in text, and the field it belongs to (`data.password`). */
export interface SecretValueForm {
  text: string;
  path: string;
}

/** Values shorter than this are masked only where they stand quoted: bare, they would eat ordinary words. */
const MIN_BARE_LENGTH = 4;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** `data` values are base64: the decoded text, when the value is canonical base64 of UTF-8. */
function decodeBase64(value: string): string | undefined {
  const compact = value.replace(/\s+/g, '');
  if (compact.length === 0 || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact))
    return undefined;
  const bytes = Buffer.from(compact, 'base64');
  if (bytes.toString('base64') !== compact) return undefined;
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

function formsOf(value: string, field: string): string[] {
  const forms = [value, JSON.stringify(value).slice(1, -1)];
  if (field === 'data') {
    const decoded = decodeBase64(value);
    if (decoded !== undefined) forms.push(decoded, JSON.stringify(decoded).slice(1, -1));
  } else {
    forms.push(Buffer.from(value, 'utf8').toString('base64'));
  }
  return forms;
}

/**
 * Every text form of every `data`/`stringData` value of the Secrets among `objects` (the same
 * fields the diff masks): as written, JSON-escaped, base64-decoded (`data`) or base64-encoded
 * (`stringData`). Longest first, so a value is masked before any shorter value inside it.
 */
export function collectSecretValueForms(objects: Iterable<Record<string, unknown>>): SecretValueForm[] {
  const byText = new Map<string, string>();
  const add = (value: unknown, path: string, field: string) => {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return;
    for (const text of formsOf(String(value), field)) {
      if (text.length > 0 && !byText.has(text)) byText.set(text, path);
    }
  };
  for (const object of objects) {
    if (!isSecret(object)) continue;
    for (const field of ['data', 'stringData']) {
      const values = object[field];
      if (isPlainObject(values))
        for (const [key, value] of Object.entries(values)) add(value, `${field}.${key}`, field);
      else add(values, field, field);
    }
  }
  return [...byText]
    .map(([text, path]) => ({ text, path }))
    .sort((a, b) => b.text.length - a.text.length || (a.text < b.text ? -1 : 1));
}

/** `text` with each Secret value replaced by `<masked: PATH>`; short values only where quoted. */
export function maskSecretText(text: string, forms: readonly SecretValueForm[]): string {
  let out = text;
  for (const { text: value, path } of forms) {
    const marker = `<masked: ${path}>`;
    if (value.length >= MIN_BARE_LENGTH) {
      if (out.includes(value)) out = out.split(value).join(marker);
    } else {
      for (const quote of ['"', "'", '`']) {
        const quoted = `${quote}${value}${quote}`;
        if (out.includes(quoted)) out = out.split(quoted).join(`${quote}${marker}${quote}`);
      }
    }
  }
  return out;
}

/**
 * Findings whose title, message and remedy carry no Secret value: a policy message such as
 * `value "…" does not match` or `{{request.object.data.password}}` names the field instead.
 */
export function maskSecretValuesInFindings(
  findings: readonly Finding[],
  forms: readonly SecretValueForm[],
): Finding[] {
  if (forms.length === 0) return [...findings];
  return findings.map((f) => {
    const title = maskSecretText(f.title, forms);
    const message = maskSecretText(f.message, forms);
    const remedy = f.remedy === undefined ? undefined : maskSecretText(f.remedy, forms);
    if (title === f.title && message === f.message && remedy === f.remedy) return f;
    return { ...f, title, message, ...(remedy !== undefined ? { remedy } : {}) };
  });
}
