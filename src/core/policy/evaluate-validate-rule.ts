/**
 * A rule's `validate` block (deny, pattern, anyPattern, foreach) after its context and
 * preconditions, as Kyverno's validator does (pkg/engine/handlers/validation/validate_resource.go):
 * unresolvable variables in preconditions or deny conditions are errors (Kyverno ≥ 1.7), deny wins
 * over pattern, and foreach follows Kyverno's element rules (nil elements skipped, element scope
 * only for map elements unless `elementScope` says otherwise, an error on any but the last element
 * ignored).
 */
import type { PathSegment } from '../manifests/parse-manifests.ts';
import { evaluateConditions } from './evaluate-conditions.ts';
import { evaluateJmespath } from './evaluate-jmespath.ts';
import { expandSelfReferences } from './expand-self-references.ts';
import { isJsonObject, type JsonObject } from './kyverno-policy.ts';
import { hasVariables, substituteAll } from './substitute-variables.ts';
import { type PatternOutcome, validatePattern } from './validate-pattern.ts';

export type RuleStatus = 'pass' | 'fail' | 'skip' | 'error';

export interface RuleOutcome {
  status: RuleStatus;
  message: string;
  /** Path of the offending field inside the resource, when a pattern points at one. */
  path?: PathSegment[];
  /**
   * The context at the failing foreach element (`element`, `elementIndex`...), so the rule's
   * message can name it — as Kyverno substitutes `{{ element.name }}` in foreach messages.
   */
  messageContext?: EvalContext;
  /** The failure comes from anyPattern (Kyverno words its message differently). */
  anyPattern?: boolean;
}

/** Mutable JMESPath context of one evaluation (`request`, `element`, `images`, policy variables...). */
export type EvalContext = Record<string, unknown>;

export interface ValidateInput {
  object: unknown;
  ctx: EvalContext;
  /** Loads `context` entries of a rule or foreach into ctx; returns a skip reason when it cannot. */
  loadContext: (entries: unknown, ctx: EvalContext) => string | undefined;
  /** The admission operation: patterns are not checked on DELETE (Kyverno reports no result). */
  operation?: string;
}

const PASS: RuleOutcome = { status: 'pass', message: 'validation rule passed' };

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function substitutedPattern(pattern: unknown, ctx: EvalContext): unknown {
  return hasVariables(pattern) ? substituteAll(expandSelfReferences(pattern), ctx, 'strict') : pattern;
}

function fromPattern(r: PatternOutcome, basePath: PathSegment[]): RuleOutcome {
  if (r.status === 'pass') return PASS;
  return { status: r.status, message: r.message, path: [...basePath, ...r.path] };
}

function pointer(path: PathSegment[]): string {
  return `/${path.join('/')}${path.length ? '/' : ''}`;
}

/**
 * Kyverno's anyPattern: the first pattern that holds passes; when none holds and at least one
 * failed the rule fails, listing each failed pattern as `rule <name>[<i>] failed at path <p>`.
 */
function checkAnyPattern(
  target: unknown,
  patterns: unknown[],
  input: ValidateInput,
  ruleName: string,
  base: PathSegment[],
): RuleOutcome {
  const skipped: string[] = [];
  const failed: string[] = [];
  let firstPath: PathSegment[] | undefined;
  for (let i = 0; i < patterns.length; i++) {
    const r = validatePattern(target, substitutedPattern(patterns[i], input.ctx));
    if (r.status === 'pass') return PASS;
    if (r.status === 'skip') skipped.push(`rule ${ruleName}[${i}] skipped: ${r.message}`);
    else {
      failed.push(`rule ${ruleName}[${i}] failed at path ${pointer(r.path)}`);
      firstPath ??= [...base, ...r.path];
    }
  }
  if (failed.length === 0) return { status: 'skip', message: skipped.join(' ') };
  return { status: 'fail', message: failed.join(' '), anyPattern: true, path: firstPath ?? base };
}

/** `request.object.spec.containers` → ['spec', 'containers'] (to point lines at foreach elements). */
/**
 * Where `target` sits inside `root`, by identity (JMESPath projections hand back the resource's own
 * nodes): lets a foreach over an expression such as `spec.[initContainers, containers][]` still
 * point its finding at the failing element's line. Only called for a failing element.
 */
function findPathOf(root: unknown, target: unknown, path: PathSegment[] = []): PathSegment[] | undefined {
  if (root === target) return path;
  if (Array.isArray(root)) {
    for (let i = 0; i < root.length; i++) {
      const found = findPathOf(root[i], target, [...path, i]);
      if (found) return found;
    }
  } else if (isJsonObject(root)) {
    for (const [key, value] of Object.entries(root)) {
      if (value && typeof value === 'object') {
        const found = findPathOf(value, target, [...path, key]);
        if (found) return found;
      }
    }
  }
  return undefined;
}

function listPath(list: string): PathSegment[] | undefined {
  const m = /^\s*(?:\{\{\s*)?request\.object((?:\.[A-Za-z_][\w]*)+)\s*(?:\}\}\s*)?$/.exec(list);
  return m ? m[1]!.slice(1).split('.') : undefined;
}

interface Scope {
  /** What patterns are checked against: the resource, or the element of an element-scoped foreach. */
  target: unknown;
  /** Resource path of `target` (for line numbers), when known. */
  base: PathSegment[];
  /** Inside a foreach element (patterns are then checked even on DELETE). */
  inElement: boolean;
}

/** One validator body: deny, else pattern / anyPattern, else a nested foreach. Undefined: no result. */
function checkBody(
  body: JsonObject,
  input: ValidateInput,
  ruleName: string,
  scope: Scope,
  depth: number,
): RuleOutcome | undefined {
  const { ctx } = input;
  if (isJsonObject(body.deny)) {
    return evaluateConditions(body.deny.conditions, ctx, 'strict')
      ? { status: 'fail', message: 'denied by conditions', path: scope.base }
      : PASS;
  }
  if (body.pattern !== undefined || Array.isArray(body.anyPattern)) {
    if (input.operation === 'DELETE' && !scope.inElement) return undefined;
    if (body.pattern !== undefined) {
      return fromPattern(validatePattern(scope.target, substitutedPattern(body.pattern, ctx)), scope.base);
    }
    return checkAnyPattern(scope.target, body.anyPattern as unknown[], input, ruleName, scope.base);
  }
  if (Array.isArray(body.foreach)) return checkForeach(body.foreach, input, ruleName, scope, depth);
  return { status: 'error', message: 'validate needs pattern, anyPattern, deny or foreach' };
}

function evaluateList(list: string, ctx: EvalContext): unknown[] | undefined {
  try {
    const expr = substituteAll(list, ctx, 'strict');
    const value = typeof expr === 'string' ? evaluateJmespath(expr, ctx) : expr;
    if (value === undefined) return undefined;
    return Array.isArray(value) ? value : [value];
  } catch {
    return undefined; // Kyverno: a list that cannot be evaluated is skipped
  }
}

function restore(ctx: EvalContext, snapshot: EvalContext): void {
  for (const key of Object.keys(ctx)) if (!(key in snapshot)) delete ctx[key];
  Object.assign(ctx, snapshot);
}

/** One foreach element, as a nested validator: its context, preconditions, then its body. */
function checkElement(
  fe: JsonObject,
  input: ValidateInput,
  ruleName: string,
  scope: Scope,
  depth: number,
): RuleOutcome | undefined {
  try {
    if (fe.context !== undefined) {
      const skip = input.loadContext(fe.context, input.ctx);
      if (skip) return { status: 'skip', message: skip };
    }
    if (fe.preconditions !== undefined && !evaluateConditions(fe.preconditions, input.ctx, 'strict')) {
      return { status: 'skip', message: 'preconditions not met' };
    }
    return checkBody(fe, input, ruleName, scope, depth + 1);
  } catch (error) {
    return { status: 'error', message: errorMessage(error) };
  }
}

function checkForeach(
  list: unknown[],
  input: ValidateInput,
  ruleName: string,
  outer: Scope,
  depth: number,
): RuleOutcome {
  const { ctx } = input;
  let applied = 0;
  for (const fe of list) {
    if (!isJsonObject(fe) || typeof fe.list !== 'string') {
      return { status: 'error', message: 'foreach needs a list expression' };
    }
    const items = evaluateList(fe.list, ctx);
    if (!items) continue;
    const basePath = listPath(fe.list);
    const snapshot = { ...ctx };
    try {
      for (let i = 0; i < items.length; i++) {
        const element = items[i];
        if (element === null || element === undefined) continue;
        restore(ctx, snapshot);
        Object.assign(ctx, {
          element,
          elementIndex: i,
          [`element${depth}`]: element,
          [`elementIndex${depth}`]: i,
        });
        const isMap = isJsonObject(element);
        if (fe.elementScope === true && !isMap) {
          return {
            status: 'error',
            message: `cannot use elementScope=true foreach rules for elements that are not maps, got ${Array.isArray(element) ? 'a list' : typeof element}`,
          };
        }
        const scoped = typeof fe.elementScope === 'boolean' ? fe.elementScope : isMap;
        const scope: Scope = scoped
          ? { target: element, base: basePath ? [...basePath, i] : [], inElement: true }
          : outer;
        const r = checkElement(fe, input, ruleName, scope, depth);
        if (!r || r.status === 'skip') continue;
        if (r.status === 'error') {
          if (i < items.length - 1) continue; // Kyverno ignores errors but on the last element
          return r;
        }
        if (r.status === 'fail') {
          const located =
            scoped && !basePath && (r.path?.length ?? 0) === 0
              ? { ...r, path: findPathOf(input.object, element) ?? [] }
              : r;
          return located.messageContext ? located : { ...located, messageContext: { ...ctx } };
        }
        applied++;
      }
    } finally {
      restore(ctx, snapshot);
    }
  }
  if (applied === 0) return { status: 'skip', message: 'rule skipped: no foreach element applies' };
  return PASS;
}

function substitutedMessage(validate: JsonObject, ctx: EvalContext): string {
  let message = typeof validate.message === 'string' ? validate.message : '';
  if (message.includes('{{')) {
    try {
      const value = substituteAll(message, ctx, 'strict');
      message = typeof value === 'string' ? value : message;
    } catch {
      /* keep the message as written, as Kyverno does */
    }
  }
  return message.trim();
}

/** Kyverno's anyPattern message: `validation error: <message>. rule r[0] failed at path /a/ ...`. */
function anyPatternMessage(validate: JsonObject, detail: string): string {
  const message = typeof validate.message === 'string' ? validate.message : '';
  if (!message) return `validation error: ${detail}`;
  return `validation error: ${message}${message.endsWith('.') ? '' : '.'} ${detail}`;
}

/**
 * Evaluates a rule's `validate` block after its context and preconditions, on an already matched
 * resource. Undefined when Kyverno reports no result (a pattern rule on DELETE).
 */
export function evaluateValidateRule(rule: JsonObject, input: ValidateInput): RuleOutcome | undefined {
  const validate = rule.validate as JsonObject;
  const ruleName = typeof rule.name === 'string' ? rule.name : '';
  try {
    if (rule.context !== undefined) {
      const skip = input.loadContext(rule.context, input.ctx);
      if (skip) return { status: 'skip', message: skip };
    }
  } catch (error) {
    return { status: 'error', message: `failed to load context: ${errorMessage(error)}` };
  }
  try {
    if (rule.preconditions !== undefined && !evaluateConditions(rule.preconditions, input.ctx, 'strict')) {
      return { status: 'skip', message: 'preconditions not met' };
    }
  } catch (error) {
    return { status: 'error', message: `failed to evaluate preconditions: ${errorMessage(error)}` };
  }
  try {
    const scope: Scope = { target: input.object, base: [], inElement: false };
    const r = checkBody(validate, input, ruleName, scope, 0);
    if (r?.status !== 'fail') return r;
    const { messageContext, anyPattern, ...outcome } = r;
    if (anyPattern) return { ...outcome, message: anyPatternMessage(validate, r.message) };
    const message = substitutedMessage(validate, messageContext ?? input.ctx);
    return { ...outcome, message: message ? `${message} (${r.message})` : r.message };
  } catch (error) {
    return { status: 'error', message: errorMessage(error) };
  }
}
