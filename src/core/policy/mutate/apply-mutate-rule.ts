/**
 * A ClusterPolicy rule's `mutate` block on one object, as Kyverno's mutation handler does it:
 * rule context and preconditions, then `patchStrategicMerge` (anchors), `patchesJson6902` or
 * `foreach` (per element: its context, preconditions, patches; nested foreach with
 * `elementIndex0..N`; `order: Descending`). Every patch sees the result of the previous one.
 * No change at all is a `skip` ("no patches applied"), as Kyverno reports it.
 */
import { parsePlainYaml as parseYaml } from '../../manifests/parse-plain-yaml.ts';
import { evaluateConditions } from '../evaluate-conditions.ts';
import { evaluateJmespath } from '../evaluate-jmespath.ts';
import type { EvalContext } from '../evaluate-validate-rule.ts';
import { isJsonObject, type JsonObject } from '../kyverno-policy.ts';
import { substituteAll, substituteString } from '../substitute-variables.ts';
import { applyJsonPatch, type JsonPatchOperation } from './apply-json-patch.ts';
import { applyStrategicMergePatch } from './apply-strategic-merge-patch.ts';

export interface MutateInput {
  object: JsonObject;
  ctx: EvalContext;
  loadContext: (entries: unknown, ctx: EvalContext) => string | undefined;
}

export interface MutateOutcome {
  status: 'pass' | 'skip' | 'error';
  message: string;
  /** The mutated object when status is pass. */
  patched?: JsonObject;
}

class SkipRule extends Error {}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The context with `request.object` pointing at the current (patched) object. */
function withObject(ctx: EvalContext, object: JsonObject): EvalContext {
  const request = isJsonObject(ctx.request) ? ctx.request : {};
  return { ...ctx, request: { ...request, object } };
}

function applyPatches(block: JsonObject, object: JsonObject, ctx: EvalContext): JsonObject {
  let current = object;
  if (block.patchStrategicMerge !== undefined) {
    const patch = substituteAll(block.patchStrategicMerge, ctx, 'strict');
    const merged = applyStrategicMergePatch(current, patch);
    if (!merged.ok) {
      if (merged.global) throw new SkipRule(merged.reason);
      // A conditional anchor that does not hold leaves this patch out.
    } else current = merged.value as JsonObject;
  }
  if (typeof block.patchesJson6902 === 'string') {
    const text = substituteString(block.patchesJson6902, ctx, 'strict');
    const ops = typeof text === 'string' ? (parseYaml(text) as unknown) : text;
    if (!Array.isArray(ops)) throw new Error('patchesJson6902 must be a list of operations');
    current = applyJsonPatch(current, ops as JsonPatchOperation[]) as JsonObject;
  }
  return current;
}

function runForeach(
  entries: unknown,
  object: JsonObject,
  ctx: EvalContext,
  input: MutateInput,
  depth: number,
): JsonObject {
  if (!Array.isArray(entries)) throw new Error('mutate.foreach must be a list');
  let current = object;
  for (const entry of entries) {
    if (!isJsonObject(entry) || typeof entry.list !== 'string') throw new Error('each foreach needs a list');
    const listCtx = { ...ctx };
    const expression = String(substituteString(entry.list.trim(), listCtx, 'strict')).trim();
    const list = evaluateJmespath(expression, listCtx);
    if (list === null || list === undefined) continue;
    if (!Array.isArray(list)) throw new Error(`foreach list ${expression} is not a list`);
    const order = [...list.keys()];
    if (entry.order === 'Descending') order.reverse();
    for (const i of order) {
      const element = list[i];
      if (element === null || element === undefined) continue;
      const elementCtx: EvalContext = {
        ...withObject(listCtx, current),
        element,
        elementIndex: i,
        [`element${depth}`]: element,
        [`elementIndex${depth}`]: i,
      };
      if (entry.context !== undefined) {
        const skip = input.loadContext(entry.context, elementCtx);
        if (skip) throw new SkipRule(skip);
      }
      if (entry.preconditions !== undefined && !evaluateConditions(entry.preconditions, elementCtx, 'strict'))
        continue;
      current =
        entry.foreach !== undefined
          ? runForeach(entry.foreach, current, elementCtx, input, depth + 1)
          : applyPatches(entry, current, elementCtx);
    }
  }
  return current;
}

export function applyMutateRule(rule: JsonObject, input: MutateInput): MutateOutcome {
  const mutate = isJsonObject(rule.mutate) ? rule.mutate : {};
  if (mutate.targets !== undefined) {
    return {
      status: 'skip',
      message: 'needs a cluster: mutate.targets changes existing objects in a cluster',
    };
  }
  const ctx = input.ctx;
  try {
    if (rule.context !== undefined) {
      const skip = input.loadContext(rule.context, ctx);
      if (skip) return { status: 'skip', message: skip };
    }
  } catch (error) {
    return { status: 'error', message: `failed to load context: ${errorText(error)}` };
  }
  try {
    if (rule.preconditions !== undefined && !evaluateConditions(rule.preconditions, ctx, 'strict')) {
      return { status: 'skip', message: 'preconditions not met' };
    }
  } catch (error) {
    return { status: 'error', message: `failed to evaluate preconditions: ${errorText(error)}` };
  }
  try {
    const patched =
      mutate.foreach !== undefined
        ? runForeach(mutate.foreach, input.object, ctx, input, 0)
        : applyPatches(mutate, input.object, ctx);
    if (JSON.stringify(patched) === JSON.stringify(input.object)) {
      return { status: 'skip', message: 'no patches applied' };
    }
    return { status: 'pass', message: 'mutated', patched: JSON.parse(JSON.stringify(patched)) as JsonObject };
  } catch (error) {
    if (error instanceof SkipRule) return { status: 'skip', message: error.message };
    return { status: 'error', message: `mutation failed: ${errorText(error)}` };
  }
}
