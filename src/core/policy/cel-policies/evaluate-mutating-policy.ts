/**
 * A `MutatingPolicy` on one admission request, as Kyverno's CLI runs it: matchConditions (any
 * false: skip), then each mutation in order on the object as the previous one left it:
 * `ApplyConfiguration` merges the expression's object the way server-side apply does (maps
 * merge, keyed lists such as containers merge by name, other lists are replaced), `JSONPatch`
 * applies the expression's operations. Autogen for Pod controllers evaluates the expressions on
 * the Pod template (as a Pod) and writes the result back into the template.
 */
import { celErrorText, compileCelExpression } from '../cel/compile-cel-expression.ts';
import { describeCompileError, run } from '../cel/evaluate-cel-rule.ts';
import { fromCelValue } from '../cel/from-cel-value.ts';
import { isJsonObject, type JsonObject } from '../kyverno-policy.ts';
import { applyJsonPatch, type JsonPatchOperation } from '../mutate/apply-json-patch.ts';
import { mergeMap } from '../mutate/apply-strategic-merge-patch.ts';
import { podTemplatePath } from './autogen-cel-expression.ts';
import type { CelPolicy } from './cel-policy.ts';
import {
  buildCelPolicyBindings,
  type CelPolicyOutcome,
  type CelRequest,
  checkMatchConditions,
  describeEvaluationError,
} from './evaluate-validating-policy.ts';

export interface MutatingPolicyRun {
  outcome: CelPolicyOutcome;
  patched?: JsonObject;
}

const identity = (e: string) => e;

function templateHolder(object: JsonObject, kind: string): JsonObject | undefined {
  let node: unknown = object;
  for (const key of podTemplatePath(kind).split('.')) node = isJsonObject(node) ? node[key] : undefined;
  return isJsonObject(node) ? node : undefined;
}

/** The Pod a controller's template describes (what autogen'd expressions see as `object`). */
function podOf(object: JsonObject, kind: string): JsonObject {
  const template = templateHolder(object, kind) ?? {};
  return { apiVersion: 'v1', kind: 'Pod', metadata: template.metadata ?? {}, spec: template.spec ?? {} };
}

/** The controller with its template replaced by the (mutated) Pod's metadata and spec. */
function withPod(object: JsonObject, kind: string, pod: JsonObject): JsonObject {
  const out = structuredClone(object);
  const path = podTemplatePath(kind).split('.');
  let node: JsonObject = out;
  for (const key of path) {
    if (!isJsonObject(node[key])) node[key] = {};
    node = node[key] as JsonObject;
  }
  node.metadata = pod.metadata;
  node.spec = pod.spec;
  return out;
}

function applyMutation(
  kind: 'ApplyConfiguration' | 'JSONPatch',
  value: unknown,
  object: JsonObject,
): JsonObject {
  const data = fromCelValue(value);
  if (kind === 'ApplyConfiguration') {
    if (!isJsonObject(data)) throw new Error('the applyConfiguration expression must yield an object');
    const merged = mergeMap(data, object);
    if (!merged.ok) throw new Error(merged.reason);
    return JSON.parse(JSON.stringify(merged.value)) as JsonObject;
  }
  if (!Array.isArray(data)) throw new Error('the jsonPatch expression must yield a list of JSONPatch');
  return applyJsonPatch(object, data as JsonPatchOperation[]) as JsonObject;
}

export function evaluateMutatingPolicy(policy: CelPolicy, request: CelRequest): MutatingPolicyRun {
  try {
    return evaluate(policy, request);
  } catch (error) {
    return { outcome: { status: 'error', message: `CEL evaluation failed: ${celErrorText(error)}` } };
  }
}

function evaluate(policy: CelPolicy, request: CelRequest): MutatingPolicyRun {
  const expressions: [string, string][] = [
    ...policy.matchConditions.map((c, i): [string, string] => [`spec.matchConditions[${i}]`, c.expression]),
    ...policy.variables.map((v): [string, string] => [`variable "${v.name}"`, v.expression]),
    ...policy.mutations.map((m, i): [string, string] => [`spec.mutations[${i}]`, m.expression]),
  ];
  for (const [what, expression] of expressions) {
    const program = compileCelExpression(expression);
    if (!program.ok) {
      return { outcome: { status: 'error', message: describeCompileError(what, expression, program.error) } };
    }
  }
  const controller = request.autogenFor;
  const original = request.object as JsonObject;
  const asSeen = (o: JsonObject) => (controller ? podOf(o, controller) : o);
  let current = asSeen(original);
  const oldObject = isJsonObject(request.oldObject) ? asSeen(request.oldObject) : request.oldObject;
  const bindingsFor = (object: JsonObject) =>
    buildCelPolicyBindings(policy, { ...request, object, oldObject }, identity);
  const unmatched = checkMatchConditions(policy.matchConditions, bindingsFor(current), identity);
  if (unmatched) return { outcome: unmatched };
  for (const [i, mutation] of policy.mutations.entries()) {
    const evaluated = run(mutation.expression, bindingsFor(current));
    if (!evaluated.ok) {
      return { outcome: describeEvaluationError(`spec.mutations[${i}]`, evaluated.error) };
    }
    try {
      current = applyMutation(mutation.patchType, evaluated.value, current);
    } catch (error) {
      return { outcome: { status: 'error', message: `spec.mutations[${i}]: ${(error as Error).message}` } };
    }
  }
  const patched = controller ? withPod(original, controller, current) : current;
  if (JSON.stringify(patched) === JSON.stringify(original)) {
    return { outcome: { status: 'pass', message: 'no change' } };
  }
  return { outcome: { status: 'pass', message: 'mutated' }, patched };
}
