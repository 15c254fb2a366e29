/**
 * Evaluates one Kyverno rule's `celPreconditions` and `validate.cel` against an object, with the
 * semantics of a Kubernetes ValidatingAdmissionPolicy as Kyverno runs it (see the README of this
 * folder for the choices made where Tollgate has no cluster).
 */
import {
  buildAdmissionRequest,
  type CelUserInfo,
  identifyAdmittedObject,
} from './build-admission-request.ts';
import { type CelBindings, celErrorText, compileCelExpression } from './compile-cel-expression.ts';
import { toCelValue } from './to-cel-value.ts';

export type AdmissionOperation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

export interface CelContext {
  object: unknown;
  /** null on CREATE. */
  oldObject: unknown;
  operation: AdmissionOperation;
  /**
   * The Namespace object of a namespaced resource, when known (null otherwise). When left
   * undefined, a namespaced resource gets `{metadata: {name: <its namespace or "default">}}`,
   * which is what Kyverno builds when it runs without a cluster; cluster-scoped ones get null.
   */
  namespaceObject?: unknown;
  /** `request.userInfo` (empty user when absent). */
  userInfo?: CelUserInfo;
  /**
   * How an expression that fails to evaluate (missing key, no such overload) is reported.
   * `fail` (default) is Kyverno's behaviour: it runs validate.cel with failurePolicy Fail, so the
   * rule fails with the evaluation error as message. `error` reports it as an `error` outcome.
   */
  evaluationErrors?: 'fail' | 'error';
}

export type CelOutcome =
  | { status: 'pass' }
  | { status: 'fail'; message: string }
  | { status: 'skip'; message: string }
  | { status: 'error'; message: string };

export interface NamedExpression {
  name: string;
  expression: string;
}

export interface Validation {
  expression: string;
  message?: string;
  messageExpression?: string;
}

export type Evaluated = { ok: true; value: unknown } | { ok: false; error: string };

const namespaceObjects = new Map<string, unknown>();

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

export function readList<T>(
  value: unknown,
  label: string,
  read: (item: Record<string, unknown>) => T | undefined,
): T[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new Error(`${label} must be a list`);
  return value.map((item, i) => {
    const record = asRecord(item);
    const parsed = record ? read(record) : undefined;
    if (parsed === undefined) throw new Error(`${label}[${i}] must have a string "expression"`);
    return parsed;
  });
}

export function readNamed(item: Record<string, unknown>): NamedExpression | undefined {
  if (typeof item.expression !== 'string') return undefined;
  return { name: typeof item.name === 'string' ? item.name : '', expression: item.expression };
}

export function readValidation(item: Record<string, unknown>): Validation | undefined {
  if (typeof item.expression !== 'string') return undefined;
  return {
    expression: item.expression,
    ...(typeof item.message === 'string' ? { message: item.message } : {}),
    ...(typeof item.messageExpression === 'string' ? { messageExpression: item.messageExpression } : {}),
  };
}

export function describeCompileError(what: string, expression: string, error: string): string {
  if (/\bauthorizer\b/.test(expression) && /authorizer/.test(error)) {
    return `${what} uses \`authorizer\`, which needs a cluster (Tollgate evaluates policies offline): ${expression.trim()}`;
  }
  return `${what} does not compile: ${error} (expression: ${expression.trim()})`;
}

export function run(expression: string, bindings: CelBindings): Evaluated {
  const program = compileCelExpression(expression);
  if (!program.ok) return { ok: false, error: program.error };
  try {
    return { ok: true, value: program.evaluate(bindings) };
  } catch (error) {
    return { ok: false, error: celErrorText(error) };
  }
}

/** Variables as lazily evaluated, memoised getters: `variables.x` evaluates `x` on first use. */
export function bindVariables(variables: NamedExpression[], bindings: CelBindings): Record<string, unknown> {
  const target: Record<string, unknown> = {};
  for (const variable of variables) {
    let state: 'new' | 'running' | 'done' = 'new';
    let result: Evaluated = { ok: false, error: '' };
    Object.defineProperty(target, variable.name, {
      enumerable: true,
      get() {
        if (state === 'running') throw new Error(`variable "${variable.name}" refers to itself`);
        if (state === 'new') {
          state = 'running';
          result = run(variable.expression, bindings);
          state = 'done';
        }
        if (!result.ok) throw new Error(`variable "${variable.name}" resulted in error: ${result.error}`);
        return result.value;
      },
    });
  }
  return target;
}

export function namespaceObjectFor(namespace: string): unknown {
  let object = namespaceObjects.get(namespace);
  if (!object) {
    object = toCelValue({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
    if (namespaceObjects.size > 10_000) namespaceObjects.clear();
    namespaceObjects.set(namespace, object);
  }
  return object;
}

export function failureMessage(
  validation: Validation,
  ruleMessage: string | undefined,
  bindings: CelBindings,
): string {
  if (validation.messageExpression) {
    const evaluated = run(validation.messageExpression, bindings);
    if (evaluated.ok && typeof evaluated.value === 'string') {
      const message = evaluated.value.trim();
      if (message && !message.includes('\n')) return message;
    }
  }
  const message = validation.message?.trim() || ruleMessage?.trim();
  return message || `failed expression: ${validation.expression.trim()}`;
}

interface PreparedRule {
  preconditions: NamedExpression[];
  variables: NamedExpression[];
  validations: Validation[];
  ruleMessage: string | undefined;
}

/** Rules read and compile-checked once per rule object (the same policy runs over many resources). */
const preparedRules = new WeakMap<object, PreparedRule | CelOutcome>();

function prepareRule(rule: Record<string, unknown>): PreparedRule | CelOutcome {
  const validate = asRecord(rule.validate);
  const cel = asRecord(validate?.cel);
  if (!validate || !cel) return { status: 'error', message: 'the rule has no validate.cel' };
  if (cel.paramKind !== undefined || cel.paramRef !== undefined) {
    return {
      status: 'skip',
      message:
        'validate.cel.paramKind needs parameter resources from a cluster; the rule is not evaluated offline',
    };
  }
  let prepared: PreparedRule;
  try {
    prepared = {
      preconditions: readList(rule.celPreconditions, 'celPreconditions', readNamed),
      variables: readList(cel.variables, 'validate.cel.variables', readNamed),
      validations: readList(cel.expressions, 'validate.cel.expressions', readValidation),
      ruleMessage: typeof validate.message === 'string' ? validate.message : undefined,
    };
  } catch (error) {
    return { status: 'error', message: `invalid validate.cel: ${(error as Error).message}` };
  }
  const compileChecks: [string, string | undefined][] = [
    ...prepared.preconditions.map((p, i): [string, string] => [
      `celPreconditions[${i}]${p.name ? ` "${p.name}"` : ''}`,
      p.expression,
    ]),
    ...prepared.variables.map((v): [string, string] => [`validate.cel variable "${v.name}"`, v.expression]),
    // A messageExpression that does not compile is not checked here: as in Kubernetes, the
    // failure message then falls back to `message` (see failureMessage).
    ...prepared.validations.map((v, i): [string, string] => [`validate.cel.expressions[${i}]`, v.expression]),
  ];
  for (const [what, expression] of compileChecks) {
    if (expression === undefined) continue;
    const program = compileCelExpression(expression);
    if (!program.ok)
      return { status: 'error', message: describeCompileError(what, expression, program.error) };
  }
  return prepared;
}

interface AdmissionFacts {
  identity: ReturnType<typeof identifyAdmittedObject>;
  requests: Map<string, unknown>;
}

/** Identity and `request` per admitted object and operation, computed once per object. */
const admissionFacts = new WeakMap<object, AdmissionFacts>();

export function admissionFor(context: CelContext): {
  identity: AdmissionFacts['identity'];
  request: unknown;
} {
  const admitted = context.object ?? context.oldObject;
  if (!admitted || typeof admitted !== 'object') {
    const identity = identifyAdmittedObject(context.object, context.oldObject);
    return { identity, request: buildAdmissionRequest(identity, context.operation, context.userInfo) };
  }
  let facts = admissionFacts.get(admitted);
  if (!facts) {
    facts = { identity: identifyAdmittedObject(context.object, context.oldObject), requests: new Map() };
    admissionFacts.set(admitted, facts);
  }
  const { identity } = facts;
  if (context.userInfo) {
    return { identity, request: buildAdmissionRequest(identity, context.operation, context.userInfo) };
  }
  let request = facts.requests.get(context.operation);
  if (!request) {
    request = buildAdmissionRequest(identity, context.operation, undefined);
    facts.requests.set(context.operation, request);
  }
  return { identity, request };
}

/** Never throws: anything unexpected (a cyclic object, a library failure) becomes an `error` outcome. */
export function evaluateCelRule(rule: Record<string, unknown>, context: CelContext): CelOutcome {
  try {
    return evaluatePreparedRule(rule, context);
  } catch (error) {
    return { status: 'error', message: `CEL evaluation failed: ${celErrorText(error)}` };
  }
}

function evaluatePreparedRule(rule: Record<string, unknown>, context: CelContext): CelOutcome {
  let prepared = preparedRules.get(rule);
  if (!prepared) {
    prepared = prepareRule(rule);
    preparedRules.set(rule, prepared);
  }
  if ('status' in prepared) return prepared;
  const { preconditions, variables, validations, ruleMessage } = prepared;

  const { identity, request } = admissionFor(context);
  const namespace = identity?.namespace ?? '';
  const bindings: CelBindings = {
    object: toCelValue(context.object ?? null),
    oldObject: toCelValue(context.oldObject ?? null),
    request,
    namespaceObject:
      context.namespaceObject !== undefined
        ? toCelValue(context.namespaceObject)
        : namespace
          ? namespaceObjectFor(namespace)
          : null,
    params: null,
  };
  bindings.variables = bindVariables(variables, bindings);
  const evaluationError = (message: string): CelOutcome => ({
    status: context.evaluationErrors === 'error' ? 'error' : 'fail',
    message,
  });

  let preconditionError: string | undefined;
  for (const precondition of preconditions) {
    const label = precondition.name ? `"${precondition.name}"` : `"${precondition.expression.trim()}"`;
    const evaluated = run(precondition.expression, bindings);
    if (evaluated.ok && evaluated.value === false) {
      return { status: 'skip', message: `celPreconditions ${label} not met` };
    }
    if (!evaluated.ok)
      preconditionError ??= `celPreconditions ${label} resulted in error: ${evaluated.error}`;
    else if (evaluated.value !== true)
      preconditionError ??= `celPreconditions ${label} did not evaluate to a bool`;
  }
  if (preconditionError) return evaluationError(preconditionError);

  for (const validation of validations) {
    const evaluated = run(validation.expression, bindings);
    if (!evaluated.ok) {
      return evaluationError(
        `expression '${validation.expression.trim()}' resulted in error: ${evaluated.error}`,
      );
    }
    if (evaluated.value === true) continue;
    if (evaluated.value !== false) {
      return evaluationError(`expression '${validation.expression.trim()}' did not evaluate to a bool`);
    }
    return { status: 'fail', message: failureMessage(validation, ruleMessage, bindings) };
  }
  return { status: 'pass' };
}
