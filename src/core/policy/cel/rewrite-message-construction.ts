/**
 * CEL message construction (`Object{metadata: Object.metadata{labels: {...}}}`, the form of
 * Kubernetes ApplyConfiguration and `JSONPatch{op: ..., path: ...}` expressions) rewritten into
 * dynamically typed map literals (`dyn({"metadata": dyn({...})})`), which the CEL library
 * evaluates. Kubernetes types these objects by schema; as plain data, a message is exactly the
 * map of its fields, and like a message it may stand where `null` does (`c ? JSONPatch{} : null`).
 * Optional field initialisers (`?name: value`) keep their `?` (the library's optional map entries).
 */

const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_]/;

/** Index just past the string literal starting at `i` (quotes, triple quotes, raw/bytes prefixes). */
function skipString(src: string, i: number): number {
  const quote = src[i]!;
  const triple = src.startsWith(quote.repeat(3), i);
  const raw = i > 0 && /[rR]/.test(src[i - 1]!) && (i < 2 || !IDENT_PART.test(src[i - 2]!));
  let j = i + (triple ? 3 : 1);
  while (j < src.length) {
    if (!raw && src[j] === '\\') {
      j += 2;
      continue;
    }
    if (triple ? src.startsWith(quote.repeat(3), j) : src[j] === quote) return j + (triple ? 3 : 1);
    j++;
  }
  return j;
}

/** Whether `src` has a type name directly before a `{` (the only place message syntax appears). */
function mayHaveMessages(src: string): boolean {
  return /[A-Za-z0-9_]\s*\{/.test(src);
}

export function rewriteMessageConstruction(src: string): string {
  if (!mayHaveMessages(src)) return src;
  let out = '';
  // One entry per open bracket: whether it is a message's brace (whose field names get quoted).
  const braces: boolean[] = [];
  let expectField = false;
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '"' || c === "'") {
      const end = skipString(src, i);
      out += src.slice(i, end);
      i = end;
      expectField = false;
      continue;
    }
    if (IDENT_START.test(c) && (i === 0 || !IDENT_PART.test(src[i - 1]!))) {
      // A dotted identifier path, then maybe `{` (message) or `:` (field name).
      let j = i;
      while (j < src.length && IDENT_PART.test(src[j]!)) j++;
      let path = j;
      while (src[path] === '.' && IDENT_START.test(src[path + 1] ?? '')) {
        path++;
        while (path < src.length && IDENT_PART.test(src[path]!)) path++;
      }
      let k = path;
      while (k < src.length && /\s/.test(src[k]!)) k++;
      const word = src.slice(i, j);
      const prev = out.trimEnd().slice(-1);
      if (src[k] === '{' && prev !== '.' && !/^(in|true|false|null)$/.test(word)) {
        out += 'dyn({';
        braces.push(true);
        expectField = true;
        i = k + 1;
        continue;
      }
      if (expectField && braces[braces.length - 1]) {
        let colon = j;
        while (colon < src.length && /\s/.test(src[colon]!)) colon++;
        if (src[colon] === ':') {
          out += `"${word}"`;
          i = j;
          expectField = false;
          continue;
        }
      }
      out += src.slice(i, j);
      i = j;
      expectField = false;
      continue;
    }
    if (c === '{' || c === '(' || c === '[') braces.push(false);
    else if (c === '}' || c === ')' || c === ']') {
      if (braces.pop() === true) {
        out += '})';
        i++;
        expectField = false;
        continue;
      }
    }
    if (c === ',' && braces.length > 0) expectField = true;
    else if (!/\s/.test(c) && c !== '?') expectField = false;
    out += c;
    i++;
  }
  return out;
}
