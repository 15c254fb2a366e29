/**
 * A ClusterPolicy rule's `generate` block on its trigger object: after the rule's context and
 * preconditions, `data` (variables substituted) becomes the generated object with the declared
 * apiVersion, kind, name and namespace. `clone`/`cloneList` copy objects from a cluster: they
 * are answered from the test's clone source when one is given, otherwise not checkable.
 */
import { evaluateConditions } from '../evaluate-conditions.ts';
import type { EvalContext } from '../evaluate-validate-rule.ts';
import { isJsonObject, type JsonObject } from '../kyverno-policy.ts';
import { substituteAll } from '../substitute-variables.ts';

export interface GenerateInput {
  ctx: EvalContext;
  loadContext: (entries: unknown, ctx: EvalContext) => string | undefined;
  /** Objects clone rules may copy from (a test's cloneSourceResource files). */
  cloneSources?: JsonObject[];
}

export interface GenerateOutcome {
  status: 'pass' | 'skip' | 'error';
  message: string;
  generated?: JsonObject[];
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function metaOf(o: JsonObject): JsonObject {
  return isJsonObject(o.metadata) ? o.metadata : {};
}

function target(spec: JsonObject, body: JsonObject): JsonObject {
  const meta = { ...metaOf(body) };
  if (typeof spec.name === 'string') meta.name = spec.name;
  if (typeof spec.namespace === 'string' && spec.namespace) meta.namespace = spec.namespace;
  else delete meta.namespace;
  const out: JsonObject = { ...body, apiVersion: spec.apiVersion, kind: spec.kind, metadata: meta };
  return out;
}

function generateOne(spec: JsonObject, input: GenerateInput): JsonObject[] | string {
  if (isJsonObject(spec.data)) return [target(spec, spec.data)];
  const clone = isJsonObject(spec.clone) ? spec.clone : undefined;
  if (clone) {
    const source = (input.cloneSources ?? []).find(
      (o) => metaOf(o).name === clone.name && (metaOf(o).namespace ?? '') === (clone.namespace ?? ''),
    );
    if (!source)
      return `not checkable: clone source ${String(clone.namespace ?? '')}/${String(clone.name ?? '')} needs a cluster (give it as cloneSourceResource)`;
    const { metadata, ...rest } = source;
    const keep = isJsonObject(metadata)
      ? Object.fromEntries(Object.entries(metadata).filter(([k]) => k === 'labels' || k === 'annotations'))
      : {};
    return [
      target({ ...spec, apiVersion: source.apiVersion, kind: source.kind }, { ...rest, metadata: keep }),
    ];
  }
  if (spec.cloneList !== undefined) return 'not checkable: cloneList copies objects from a cluster';
  return 'generate needs data or clone';
}

export function applyGenerateRule(rule: JsonObject, input: GenerateInput): GenerateOutcome {
  const ctx = input.ctx;
  try {
    if (rule.context !== undefined) {
      const skip = input.loadContext(rule.context, ctx);
      if (skip) return { status: 'skip', message: skip };
    }
    if (rule.preconditions !== undefined && !evaluateConditions(rule.preconditions, ctx, 'strict')) {
      return { status: 'skip', message: 'preconditions not met' };
    }
    const generate = isJsonObject(rule.generate) ? rule.generate : {};
    const { data, ...rest } = generate;
    // `data` is substituted too, except what the generated object itself should keep literally.
    const spec = substituteAll(rest, ctx, 'strict') as JsonObject;
    if (data !== undefined) spec.data = substituteAll(data, ctx, 'strict');
    if (Array.isArray(spec.foreach))
      return { status: 'error', message: 'not checked: generate.foreach is not evaluated' };
    const out = generateOne(spec, input);
    if (typeof out === 'string')
      return { status: out.startsWith('not checkable') ? 'error' : 'error', message: out };
    return {
      status: 'pass',
      message: `generates ${out.map((o) => `${String(o.kind)}/${String(metaOf(o).name)}`).join(', ')}`,
      generated: out,
    };
  } catch (error) {
    return { status: 'error', message: `generate failed: ${errorText(error)}` };
  }
}
