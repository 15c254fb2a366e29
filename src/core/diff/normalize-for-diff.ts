import { isPlainObject } from '../render/apply-strategic-merge-patch.ts';

type JsonObject = Record<string, unknown>;

/** Marks a Secret value; what it was is never shown. */
export const REDACTED = '<redacted>';
/** Marks a Secret value that differs from the other side. */
export const REDACTED_CHANGED = '<redacted, changed>';

const NOISE_METADATA = [
  'managedFields',
  'resourceVersion',
  'uid',
  'generation',
  'creationTimestamp',
  'selfLink',
];
const NOISE_ANNOTATIONS = ['kubectl.kubernetes.io/last-applied-configuration'];

/** A copy of the object without fields the cluster writes (status, managedFields, uid...). */
export function stripNoise(object: JsonObject): JsonObject {
  const out: JsonObject = { ...object };
  delete out.status;
  if (isPlainObject(out.metadata)) {
    const meta: JsonObject = { ...out.metadata };
    for (const key of NOISE_METADATA) delete meta[key];
    if (isPlainObject(meta.annotations)) {
      const annotations = { ...meta.annotations };
      for (const key of NOISE_ANNOTATIONS) delete annotations[key];
      if (Object.keys(annotations).length === 0) delete meta.annotations;
      else meta.annotations = annotations;
    }
    out.metadata = meta;
  }
  return out;
}

export function isSecret(object: JsonObject): boolean {
  return object.kind === 'Secret' && (object.apiVersion === 'v1' || object.apiVersion === undefined);
}

/**
 * Secret values replaced by markers, for two versions of the same Secret (either may be absent):
 * every key of `data`/`stringData` shows as `<redacted>`, and on the `after` side as
 * `<redacted, changed>` when its value differs from `before`. Keys stay visible, values never.
 */
export function maskSecretPair(
  before: JsonObject | undefined,
  after: JsonObject | undefined,
): [JsonObject | undefined, JsonObject | undefined] {
  const mask = (side: JsonObject | undefined, other: JsonObject | undefined, markChanges: boolean) => {
    if (!side || !isSecret(side)) return side;
    const out: JsonObject = { ...side };
    for (const field of ['data', 'stringData']) {
      const values = side[field];
      if (!isPlainObject(values)) {
        if (values !== undefined) out[field] = REDACTED;
        continue;
      }
      const otherValues = other && isPlainObject(other[field]) ? (other[field] as JsonObject) : undefined;
      out[field] = Object.fromEntries(
        Object.keys(values).map((key) => [
          key,
          markChanges && otherValues && Object.hasOwn(otherValues, key) && otherValues[key] !== values[key]
            ? REDACTED_CHANGED
            : REDACTED,
        ]),
      );
    }
    return out;
  };
  return [mask(before, after, false), mask(after, before, true)];
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    for (const key of keys) if (!Object.hasOwn(b, key) || !deepEqual(a[key], b[key])) return false;
    return true;
  }
  return false;
}
