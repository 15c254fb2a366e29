/**
 * The JMESPath context of one rule evaluation (`request`, `images`, `serviceAccountName`, values),
 * and the loader of a rule's `context` entries, as the Kyverno CLI builds them offline.
 */
import type { Manifest } from '../manifests/parse-manifests.ts';
import { isUnsafeKey } from '../safe-keys/is-unsafe-key.ts';
import { readOwn } from '../safe-keys/read-own.ts';
import { buildImagesContext } from './build-images-context.ts';
import type { AdmissionOperation } from './cel/evaluate-cel-rule.ts';
import { evaluateJmespath } from './evaluate-jmespath.ts';
import type { EvalContext } from './evaluate-validate-rule.ts';
import { isJsonObject } from './kyverno-policy.ts';
import type { RequestInfo } from './match-rule.ts';
import { substituteAll } from './substitute-variables.ts';

/** Sets `a.b.c` in a context, making maps on the way; a `__proto__`/`constructor`/`prototype` segment throws. */
export function setDotted(target: Record<string, unknown>, dotted: string, value: unknown): void {
  const keys = dotted.split('.');
  const unsafe = keys.find(isUnsafeKey);
  if (unsafe !== undefined)
    throw new Error(`the variable name ${JSON.stringify(dotted)} uses \`${unsafe}\`, which is not allowed`);
  let node = target;
  keys.slice(0, -1).forEach((k) => {
    if (!isJsonObject(readOwn(node, k))) node[k] = {};
    node = node[k] as Record<string, unknown>;
  });
  node[keys[keys.length - 1]!] = value;
}

const CLUSTER_CONTEXT = ['configMap', 'apiCall', 'imageRegistry', 'globalReference'];

/**
 * Loads `context` entries (variables; values given for an entry win; cluster lookups skip).
 * `foreachValues` (a values file's, per variable) give a foreach element's entry the value at
 * the element's index, as the Kyverno CLI does.
 */
export function contextLoader(values: Record<string, unknown>, foreachValues?: Record<string, unknown[]>) {
  const provided = (name: string) => Object.keys(values).some((k) => k === name || k.startsWith(`${name}.`));
  return (entries: unknown, ctx: EvalContext): string | undefined => {
    if (!Array.isArray(entries)) return undefined;
    for (const entry of entries) {
      if (!isJsonObject(entry) || typeof entry.name !== 'string') continue;
      const perElement =
        foreachValues && Object.hasOwn(foreachValues, entry.name) ? foreachValues[entry.name] : undefined;
      if (perElement && typeof ctx.elementIndex === 'number') {
        setDotted(ctx, entry.name, perElement[ctx.elementIndex] ?? null);
        continue;
      }
      if (provided(entry.name)) continue;
      const remote = CLUSTER_CONTEXT.find((k) => entry[k] !== undefined);
      if (remote) return `needs a cluster: context entry ${entry.name} uses ${remote}`;
      const variable = entry.variable;
      if (!isJsonObject(variable)) continue;
      let value: unknown;
      try {
        const base = variable.value !== undefined ? substituteAll(variable.value, ctx, 'strict') : undefined;
        if (typeof variable.jmesPath === 'string') {
          const path = String(substituteAll(variable.jmesPath, ctx, 'strict'));
          value = evaluateJmespath(path, base !== undefined ? base : ctx);
        } else value = base;
      } catch (error) {
        if (variable.default === undefined) throw error;
        value = null;
      }
      if ((value === null || value === undefined) && variable.default !== undefined) {
        value = substituteAll(variable.default, ctx, 'strict');
      }
      setDotted(ctx, entry.name, value ?? null);
    }
    return undefined;
  };
}

export interface AdmittedObjects {
  ctx: EvalContext;
  /** `request.object` after values were applied. */
  object: unknown;
  /** `request.oldObject` after values were applied (the object itself on UPDATE/DELETE). */
  oldObject: unknown;
}

function touchesObjects(values: Record<string, unknown>): boolean {
  return Object.keys(values).some((k) => /^request\.(object|oldObject)(\.|$)/.test(k));
}

/**
 * Builds the context of one resource under one operation. Values (a `kyverno test` values file)
 * are set by dotted key and may patch `request.object` / `request.oldObject`, which then is what
 * patterns and CEL see, as in the Kyverno CLI. UPDATE uses the object as its own old object.
 */
export function buildEvalContext(
  manifest: Manifest,
  operation: AdmissionOperation,
  values: Record<string, unknown> = {},
  requestInfo?: RequestInfo,
): AdmittedObjects {
  const patch = touchesObjects(values);
  const source = manifest.object;
  const object = patch ? structuredClone(source) : source;
  const oldObject =
    operation === 'UPDATE' || operation === 'DELETE' ? (patch ? structuredClone(source) : source) : null;
  const { identity } = manifest;
  const username = requestInfo?.userInfo?.username ?? '';
  // On DELETE Kyverno reads `request.object` as `request.oldObject`: both hold the object here.
  const request: Record<string, unknown> = {
    operation,
    object,
    oldObject,
    namespace: identity.namespace,
    name: identity.name,
    kind: { group: identity.group, version: identity.version, kind: identity.kind },
    userInfo: requestInfo?.userInfo ?? {},
    roles: requestInfo?.roles ?? [],
    clusterRoles: requestInfo?.clusterRoles ?? [],
  };
  const ctx: EvalContext = { request, images: buildImagesContext(object) };
  const sa = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(username);
  if (sa) {
    ctx.serviceAccountNamespace = sa[1];
    ctx.serviceAccountName = sa[2];
  }
  for (const [k, v] of Object.entries(values)) setDotted(ctx, k, v);
  if (!patch) return { ctx, object, oldObject };
  return { ctx, object: request.object ?? null, oldObject: request.oldObject ?? null };
}
