import type { PathSegment } from '../manifests/parse-manifests.ts';
import { evaluateConditions } from './evaluate-conditions.ts';
import { evaluateJmespath } from './evaluate-jmespath.ts';
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
}

/** Mutable JMESPath context of one evaluation (`request`, `element`, `images`, policy variables...). */
export type EvalContext = Record<string, unknown>;

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function substitutedPattern(pattern: unknown, ctx: EvalContext): unknown {
  return hasVariables(pattern) ? substituteAll(pattern, ctx, 'strict') : pattern;
}

function fromPattern(r: PatternOutcome, basePath: PathSegment[]): RuleOutcome {
  if (r.status === 'pass') return { status: 'pass', message: 'validation rule passed' };
  return { status: r.status, message: r.message, path: [...basePath, ...r.path] };
}

function checkAnyPattern(
  target: unknown,
  patterns: unknown[],
  ctx: EvalContext,
  base: PathSegment[],
): RuleOutcome {
  let skips = 0;
  const failures: string[] = [];
  let firstPath: PathSegment[] | undefined;
  for (const p of patterns) {
    const r = validatePattern(target, substitutedPattern(p, ctx));
    if (r.status === 'pass') return { status: 'pass', message: 'validation rule passed' };
    if (r.status === 'skip') skips++;
    else {
      failures.push(r.message);
      firstPath ??= [...base, ...r.path];
    }
  }
  if (skips === patterns.length) return { status: 'skip', message: 'no anyPattern applies' };
  return { status: 'fail', message: failures.join('; '), ...(firstPath ? { path: firstPath } : {}) };
}

/** `request.object.spec.containers` → ['spec', 'containers'] (to point lines at foreach elements). */
function listPath(list: string): PathSegment[] | undefined {
  const m = /^\s*request\.object((?:\.[A-Za-z_][\w]*)+)\s*$/.exec(list);
  return m ? m[1]!.slice(1).split('.') : undefined;
}

export interface ValidateInput {
  object: unknown;
  ctx: EvalContext;
  /** Loads `context` entries of a rule or foreach into ctx; returns a skip reason when it cannot. */
  loadContext: (entries: unknown, ctx: EvalContext) => string | undefined;
}

function checkBody(
  body: JsonObject,
  target: unknown,
  input: ValidateInput,
  base: PathSegment[],
  depth: number,
): RuleOutcome {
  const { ctx } = input;
  if (body.pattern !== undefined) {
    return fromPattern(validatePattern(target, substitutedPattern(body.pattern, ctx)), base);
  }
  if (Array.isArray(body.anyPattern)) return checkAnyPattern(target, body.anyPattern, ctx, base);
  if (isJsonObject(body.deny)) {
    const denied = evaluateConditions(body.deny.conditions, ctx, 'strict');
    return denied
      ? { status: 'fail', message: 'denied by conditions', path: base }
      : { status: 'pass', message: 'validation rule passed' };
  }
  if (Array.isArray(body.foreach)) return checkForeach(body.foreach, input, depth);
  return { status: 'error', message: 'validate needs pattern, anyPattern, deny or foreach' };
}

function checkForeach(list: unknown[], input: ValidateInput, depth: number): RuleOutcome {
  const { ctx } = input;
  let applied = 0;
  for (const fe of list) {
    if (!isJsonObject(fe) || typeof fe.list !== 'string') {
      return { status: 'error', message: 'foreach needs a list expression' };
    }
    let elements: unknown;
    try {
      const expr = substituteAll(fe.list, ctx, 'strict');
      elements = typeof expr === 'string' ? evaluateJmespath(expr, ctx) : expr;
    } catch {
      continue; // Kyverno: a list that cannot be evaluated is skipped
    }
    if (elements === null || elements === undefined) continue;
    const items = Array.isArray(elements) ? elements : [elements];
    const basePath = listPath(fe.list);
    const scope = fe.elementScope !== false;
    const saved = { element: ctx.element, elementIndex: ctx.elementIndex };
    try {
      for (let i = 0; i < items.length; i++) {
        ctx.element = items[i];
        ctx.elementIndex = i;
        ctx[`element${depth}`] = items[i];
        ctx[`elementIndex${depth}`] = i;
        if (fe.context !== undefined) {
          const skip = input.loadContext(fe.context, ctx);
          if (skip) return { status: 'skip', message: skip };
        }
        if (fe.preconditions !== undefined && !evaluateConditions(fe.preconditions, ctx, 'lenient')) continue;
        const base = basePath && scope ? [...basePath, i] : [];
        const target = scope ? items[i] : input.object;
        const r = checkBody(fe, target, input, base, depth + 1);
        if (r.status === 'fail') return r.messageContext ? r : { ...r, messageContext: { ...ctx } };
        if (r.status === 'error') return r;
        if (r.status === 'skip') continue;
        applied++;
      }
    } finally {
      ctx.element = saved.element;
      ctx.elementIndex = saved.elementIndex;
    }
  }
  if (applied === 0) return { status: 'skip', message: 'rule skipped: no foreach element applies' };
  return { status: 'pass', message: 'validation rule passed' };
}

function failMessage(validate: JsonObject, ctx: EvalContext, detail: string): string {
  let message = typeof validate.message === 'string' ? validate.message : '';
  if (message.includes('{{')) {
    try {
      message = String(substituteAll(message, ctx, 'strict'));
    } catch {
      /* keep the message as written */
    }
  }
  return message ? `${message.trim()} (${detail})` : detail;
}

/**
 * Evaluates a rule's `validate` block (pattern, anyPattern, deny, foreach) after its
 * preconditions, on an already matched resource.
 */
export function evaluateValidateRule(rule: JsonObject, input: ValidateInput): RuleOutcome {
  const validate = rule.validate as JsonObject;
  try {
    if (rule.context !== undefined) {
      const skip = input.loadContext(rule.context, input.ctx);
      if (skip) return { status: 'skip', message: skip };
    }
    if (rule.preconditions !== undefined && !evaluateConditions(rule.preconditions, input.ctx, 'lenient')) {
      return { status: 'skip', message: 'preconditions not met' };
    }
    const r = checkBody(validate, input.object, input, [], 0);
    if (r.status === 'fail') {
      const { messageContext, ...outcome } = r;
      return { ...outcome, message: failMessage(validate, messageContext ?? input.ctx, r.message) };
    }
    return r;
  } catch (error) {
    return { status: 'error', message: errorMessage(error) };
  }
}
