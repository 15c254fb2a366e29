/**
 * Evaluates a `ValidatingPolicy` or `ValidatingAdmissionPolicy` on one admission request, as
 * Kyverno's CLI does: matchConditions (any false: skip), lazily evaluated variables, validations
 * in order (the first false: fail with its messageExpression/message), auditAnnotations. A
 * runtime error is an `error` (a cluster-only library that the test does not mock: "not
 * checkable"), never a pass; failurePolicy Ignore does not turn errors into passes either.
 */
import type { CelUserInfo } from '../cel/build-admission-request.ts';
import { type CelBindings, celErrorText, compileCelExpression } from '../cel/compile-cel-expression.ts';
import {
  type AdmissionOperation,
  admissionFor,
  bindVariables,
  describeCompileError,
  failureMessage,
  type NamedExpression,
  namespaceObjectFor,
  run,
} from '../cel/evaluate-cel-rule.ts';
import {
  type ClusterMocks,
  GlobalContextLibrary,
  HttpLibrary,
  ImageLibrary,
  NEEDS_CLUSTER,
  ResourceLibrary,
} from '../cel/register-cluster-libraries.ts';
import { toCelValue } from '../cel/to-cel-value.ts';
import { autogenCelExpression } from './autogen-cel-expression.ts';
import type { CelPolicy } from './cel-policy.ts';

export interface CelRequest {
  object: unknown;
  oldObject: unknown;
  operation: AdmissionOperation;
  /** The Namespace object (undefined: one with just its name, as Kyverno builds offline). */
  namespaceObject?: unknown;
  userInfo?: CelUserInfo;
  /** Mocked cluster (a test's context file); undefined: cluster libraries are not checkable. */
  mocks?: ClusterMocks;
  /** Mocked globalContext entries (a test's values file). */
  globalContext?: Record<string, unknown>;
  /** `params` of a ValidatingAdmissionPolicy binding. */
  params?: unknown;
  /** Evaluate the Pod-controller form of the policy for this controller kind. */
  autogenFor?: string;
}

export type CelPolicyOutcome =
  | { status: 'pass'; message: string; auditAnnotations?: Record<string, string> }
  | { status: 'fail' | 'skip' | 'error'; message: string; auditAnnotations?: Record<string, string> };

/** Bindings shared by every expression of a CEL policy on one request. */
export function buildCelPolicyBindings(
  policy: Pick<CelPolicy, 'variables'>,
  request: CelRequest,
  rewrite: (e: string) => string,
): CelBindings {
  const { identity, request: admission } = admissionFor({
    object: request.object,
    oldObject: request.oldObject,
    operation: request.operation,
    ...(request.userInfo ? { userInfo: request.userInfo } : {}),
  });
  const namespace = identity?.namespace ?? '';
  const bindings: CelBindings = {
    object: toCelValue(request.object ?? null),
    oldObject: toCelValue(request.oldObject ?? null),
    request: admission,
    namespaceObject:
      request.namespaceObject !== undefined
        ? toCelValue(request.namespaceObject)
        : namespace
          ? namespaceObjectFor(namespace)
          : null,
    params: toCelValue(request.params ?? null),
    resource: new ResourceLibrary(request.mocks),
    image: new ImageLibrary(request.mocks),
    http: new HttpLibrary(),
    globalContext: new GlobalContextLibrary(request.globalContext),
  };
  const variables: NamedExpression[] = policy.variables.map((v) => ({
    name: v.name,
    expression: rewrite(v.expression),
  }));
  bindings.variables = bindVariables(variables, bindings);
  return bindings;
}

/**
 * An evaluation error as an outcome: `skip` "needs a cluster: ..." when a cluster library was
 * called that the test does not mock (reported as not checked, never a pass), else `error`.
 */
export function describeEvaluationError(what: string, error: string): CelPolicyOutcome {
  if (error.includes(NEEDS_CLUSTER))
    return { status: 'skip', message: `${NEEDS_CLUSTER}: ${what}: ${error}` };
  return { status: 'error', message: `${what} resulted in error: ${error}` };
}

/** Compile errors of a set of expressions, as the `error` outcome naming the first one. */
export function firstCompileError(expressions: [string, string][]): CelPolicyOutcome | undefined {
  for (const [what, expression] of expressions) {
    const program = compileCelExpression(expression);
    if (!program.ok)
      return { status: 'error', message: describeCompileError(what, expression, program.error) };
  }
  return undefined;
}

/** matchConditions: undefined when all hold, else the skip or error outcome. */
export function checkMatchConditions(
  conditions: NamedExpression[],
  bindings: CelBindings,
  rewrite: (e: string) => string,
): CelPolicyOutcome | undefined {
  let failed: CelPolicyOutcome | undefined;
  for (const c of conditions) {
    const label = c.name ? `"${c.name}"` : `"${c.expression.trim()}"`;
    const evaluated = run(rewrite(c.expression), bindings);
    if (evaluated.ok && evaluated.value === false)
      return { status: 'skip', message: `matchConditions ${label} not met` };
    if (!evaluated.ok) failed ??= describeEvaluationError(`matchConditions ${label}`, evaluated.error);
    else if (evaluated.value !== true)
      failed ??= { status: 'error', message: `matchConditions ${label} did not evaluate to a bool` };
  }
  return failed;
}

export function evaluateValidatingPolicy(policy: CelPolicy, request: CelRequest): CelPolicyOutcome {
  try {
    return evaluate(policy, request);
  } catch (error) {
    return { status: 'error', message: `CEL evaluation failed: ${celErrorText(error)}` };
  }
}

function evaluate(policy: CelPolicy, request: CelRequest): CelPolicyOutcome {
  const controller = request.autogenFor;
  const rewrite = controller ? (e: string) => autogenCelExpression(e, controller) : (e: string) => e;
  const compileError = firstCompileError([
    ...policy.matchConditions.map((c, i): [string, string] => [
      `spec.matchConditions[${i}]`,
      rewrite(c.expression),
    ]),
    ...policy.variables.map((v): [string, string] => [`variable "${v.name}"`, rewrite(v.expression)]),
    ...policy.validations.map((v, i): [string, string] => [`spec.validations[${i}]`, rewrite(v.expression)]),
  ]);
  if (compileError) return compileError;
  const bindings = buildCelPolicyBindings(policy, request, rewrite);
  const unmatched = checkMatchConditions(policy.matchConditions, bindings, rewrite);
  if (unmatched) return unmatched;
  const auditAnnotations: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const a of policy.auditAnnotations) {
    const evaluated = run(rewrite(a.valueExpression), bindings);
    if (evaluated.ok && typeof evaluated.value === 'string') auditAnnotations[a.key] = evaluated.value;
  }
  const annotations = Object.keys(auditAnnotations).length > 0 ? { auditAnnotations } : {};
  for (const [i, written] of policy.validations.entries()) {
    const validation = {
      ...written,
      expression: rewrite(written.expression),
      ...(written.messageExpression ? { messageExpression: rewrite(written.messageExpression) } : {}),
    };
    const evaluated = run(validation.expression, bindings);
    if (!evaluated.ok) {
      return {
        ...describeEvaluationError(`spec.validations[${i}] '${written.expression.trim()}'`, evaluated.error),
        ...annotations,
      };
    }
    if (evaluated.value === true) continue;
    if (evaluated.value !== false) {
      return {
        status: 'error',
        message: `spec.validations[${i}] did not evaluate to a bool`,
        ...annotations,
      };
    }
    return { status: 'fail', message: failureMessage(validation, undefined, bindings), ...annotations };
  }
  return { status: 'pass', message: 'validation passed', ...annotations };
}
