/**
 * A `GeneratingPolicy` on its trigger: matchConditions (any false: skip), variables, then each
 * `generate[].expression`, whose `generator.Apply(namespace, objects)` calls collect the objects
 * the policy creates. Cloning from a cluster (`resource.Get`) is answered from the test's mocks.
 */
import { celErrorText } from '../cel/compile-cel-expression.ts';
import { run } from '../cel/evaluate-cel-rule.ts';
import { GeneratorLibrary } from '../cel/register-cluster-libraries.ts';
import type { JsonObject } from '../kyverno-policy.ts';
import type { CelPolicy } from './cel-policy.ts';
import {
  buildCelPolicyBindings,
  type CelPolicyOutcome,
  type CelRequest,
  checkMatchConditions,
  describeEvaluationError,
  firstCompileError,
} from './evaluate-validating-policy.ts';

const identity = (e: string) => e;

export function evaluateGeneratingPolicy(
  policy: CelPolicy,
  request: CelRequest,
): { outcome: CelPolicyOutcome; generated?: JsonObject[] } {
  try {
    const compileError = firstCompileError([
      ...policy.matchConditions.map((c, i): [string, string] => [`spec.matchConditions[${i}]`, c.expression]),
      ...policy.variables.map((v): [string, string] => [`variable "${v.name}"`, v.expression]),
      ...policy.generate.map((g, i): [string, string] => [`spec.generate[${i}]`, g]),
    ]);
    if (compileError) return { outcome: compileError };
    const bindings = buildCelPolicyBindings(policy, request, identity);
    const generator = new GeneratorLibrary();
    bindings.generator = generator;
    const unmatched = checkMatchConditions(policy.matchConditions, bindings, identity);
    if (unmatched) return { outcome: unmatched };
    for (const [i, expression] of policy.generate.entries()) {
      const evaluated = run(expression, bindings);
      if (!evaluated.ok) return { outcome: describeEvaluationError(`spec.generate[${i}]`, evaluated.error) };
    }
    const generated = generator.generated as JsonObject[];
    const names = generated.map(
      (o) => `${String(o.kind)}/${String((o.metadata as JsonObject | undefined)?.name)}`,
    );
    return {
      outcome: {
        status: 'pass',
        message: generated.length ? `generates ${names.join(', ')}` : 'generates nothing',
      },
      generated,
    };
  } catch (error) {
    return { outcome: { status: 'error', message: `CEL evaluation failed: ${celErrorText(error)}` } };
  }
}
