/** Types and helpers shared by the Pod Security Standards checks. */
import { isJsonObject, type JsonObject } from '../kyverno-policy.ts';

export type PssLevel = 'baseline' | 'restricted';

export interface PssFieldError {
  /** `spec.containers[0].securityContext.privileged`, `metadata.annotations[key]`. */
  field: string;
  type: 'forbidden' | 'required';
  /** Bad value as Go formats it in the message; undefined when the error carries none. */
  badValue?: string;
  /** The bad values an `exclude.values` list is compared with (Go's string, bool, int, []string). */
  badValues: string[];
}

export interface PssCheckResult {
  id: string;
  reason: string;
  errors: PssFieldError[];
}

export interface PodView {
  metadata: JsonObject;
  spec: JsonObject;
}

export type CheckFn = (pod: PodView) => PssCheckResult | undefined;

export interface PssCheck {
  id: string;
  level: PssLevel;
  /** Ascending minimum versions (minor of 1.x) with the check body in force from each. */
  versions: { minor: number; check: CheckFn }[];
}

export function obj(v: unknown): JsonObject | undefined {
  return isJsonObject(v) ? v : undefined;
}

export function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function text(v: unknown): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
}

export function forbidden(field: string, value?: unknown): PssFieldError {
  if (value === undefined) return { field, type: 'forbidden', badValues: [] };
  if (Array.isArray(value)) {
    const items = value.map(text);
    return { field, type: 'forbidden', badValue: `[${items.join(' ')}]`, badValues: items };
  }
  if (typeof value === 'boolean')
    return { field, type: 'forbidden', badValue: String(value), badValues: [String(value)] };
  const s = text(value);
  return { field, type: 'forbidden', badValue: s, badValues: s === '' ? [] : [s] };
}

/** A bad value Go holds as int64 (runAsUser): shown in the message, never compared with `values`. */
export function forbiddenInt64(field: string, value: unknown): PssFieldError {
  return { field, type: 'forbidden', badValue: text(value), badValues: [] };
}

export function required(field: string): PssFieldError {
  return { field, type: 'required', badValues: [] };
}

export function fail(id: string, reason: string, errors: PssFieldError[]): PssCheckResult {
  return { id, reason, errors };
}

interface Container {
  c: JsonObject;
  path: string;
  sc: JsonObject | undefined;
}

/** Init containers, then containers, then ephemeral containers (pod-security-admission's order). */
export function containers(spec: JsonObject): Container[] {
  const out: Container[] = [];
  for (const key of ['initContainers', 'containers', 'ephemeralContainers']) {
    list(spec[key]).forEach((c, i) => {
      const container = obj(c) ?? {};
      out.push({ c: container, path: `spec.${key}[${i}]`, sc: obj(container.securityContext) });
    });
  }
  return out;
}

export const podSc = (spec: JsonObject) => obj(spec.securityContext);
export const isWindows = (spec: JsonObject) => obj(spec.os)?.name === 'windows';
export const sorted = (values: Iterable<string>) => [...new Set(values)].sort();
