/**
 * A ClusterPolicy rule's `generate` block on its trigger object: after the rule's context and
 * preconditions, `data` (variables substituted) becomes the generated object with the declared
 * apiVersion, kind, name and namespace. `clone`/`cloneList` copy objects from a cluster: they
 * are answered from the test's clone source when one is given, otherwise not checkable.
 */
import { evaluateConditions } from '../evaluate-conditions.ts';
import { evaluateJmespath } from '../evaluate-jmespath.ts';
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
      return `needs a cluster: clone source ${String(clone.namespace ?? '')}/${String(clone.name ?? '')} (a test gives it as cloneSourceResource)`;
    const { metadata, ...rest } = source;
    const keep = isJsonObject(metadata)
      ? Object.fromEntries(Object.entries(metadata).filter(([k]) => k === 'labels' || k === 'annotations'))
      : {};
    return [
      target({ ...spec, apiVersion: source.apiVersion, kind: source.kind }, { ...rest, metadata: keep }),
    ];
  }
  if (spec.cloneList !== undefined) return 'needs a cluster: cloneList copies objects from a cluster';
  return 'generate needs data or clone';
}

/** `generate.foreach`: per element of `list`, its context and preconditions, then its own spec. */
function generateForeach(entries: unknown[], ctx: EvalContext, input: GenerateInput): JsonObject[] | string {
  const out: JsonObject[] = [];
  for (const entry of entries) {
    if (!isJsonObject(entry) || typeof entry.list !== 'string') return 'each generate.foreach needs a list';
    const list = evaluateJmespath(entry.list.trim(), ctx);
    if (list === null || list === undefined) continue;
    if (!Array.isArray(list)) return `generate.foreach list ${entry.list} is not a list`;
    for (const [i, element] of list.entries()) {
      const elementCtx: EvalContext = { ...ctx, element, elementIndex: i };
      if (entry.context !== undefined) {
        const skip = input.loadContext(entry.context, elementCtx);
        if (skip) return skip;
      }
      if (
        entry.preconditions !== undefined &&
        !evaluateConditions(entry.preconditions, elementCtx, 'strict')
      ) {
        continue;
      }
      const { list: _list, context: _context, preconditions: _pre, ...body } = entry;
      const one = generateOne(substituteAll(body, elementCtx, 'strict') as JsonObject, input);
      if (typeof one === 'string') return one;
      out.push(...one);
    }
  }
  return out;
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
    const { foreach, ...spec } = generate;
    const out = Array.isArray(foreach)
      ? generateForeach(foreach, ctx, input)
      : generateOne(substituteAll(spec, ctx, 'strict') as JsonObject, input);
    if (typeof out === 'string') {
      return { status: out.startsWith('needs a cluster') ? 'skip' : 'error', message: out };
    }
    if (out.length === 0) return { status: 'skip', message: 'nothing to generate' };
    return {
      status: 'pass',
      message: `generates ${out.map((o) => `${String(o.kind)}/${String(metaOf(o).name)}`).join(', ')}`,
      generated: out,
    };
  } catch (error) {
    return { status: 'error', message: `generate failed: ${errorText(error)}` };
  }
}
