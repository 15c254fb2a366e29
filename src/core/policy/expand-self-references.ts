import { isJsonObject, type JsonObject } from './kyverno-policy.ts';

const SELF = /\{\{\s*@\s*\}\}/g;
const ANCHORED = /^(?:<|=|X|\^|\+)?\((.+)\)$/;

/** JMESPath of a pattern position in the resource: anchors dropped, under `request.object`. */
function selfPath(path: (string | number)[]): string {
  let out = 'request.object';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else {
      const name = ANCHORED.exec(seg)?.[1] ?? seg;
      out += /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? `.${name}` : `.${JSON.stringify(name)}`;
    }
  }
  return out;
}

function expand(pattern: unknown, path: (string | number)[]): unknown {
  if (typeof pattern === 'string') {
    return pattern.includes('@') ? pattern.replace(SELF, `{{ ${selfPath(path)} }}`) : pattern;
  }
  if (Array.isArray(pattern)) return pattern.map((v, i) => expand(v, [...path, i]));
  if (isJsonObject(pattern)) {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(pattern)) if (k !== '__proto__') out[k] = expand(v, [...path, k]);
    return out;
  }
  return pattern;
}

/**
 * Kyverno's `{{@}}` in a pattern: the value found at the same position in the resource
 * (`spec.containers[0].image` for a leaf under `spec.containers[0].image`). Rewrites each
 * `{{@}}` into the explicit `request.object` path, ready for normal substitution.
 */
export function expandSelfReferences(pattern: unknown): unknown {
  return JSON.stringify(pattern).includes('@') ? expand(pattern, []) : pattern;
}
