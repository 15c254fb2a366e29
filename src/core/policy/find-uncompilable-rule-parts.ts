import { isConditionOperator } from './apply-condition-operator.ts';
import { explainInvalidJmespath } from './evaluate-jmespath.ts';
import { isJsonObject } from './kyverno-policy.ts';

/** A part of a rule Kyverno would refuse at load: its path under the rule and why. */
export interface UncompilablePart {
  path: (string | number)[];
  message: string;
}

/** The innermost unescaped `{{ … }}` variables of a string (outer ones are built from them at run time). */
const INNERMOST = /(^|[^\\])\{\{((?:(?!\{\{|\}\}).)*?)\}\}/gs;

function conditionsOf(value: unknown): { list: unknown[]; path: (string | number)[] }[] {
  if (Array.isArray(value)) return [{ list: value, path: [] }];
  if (!isJsonObject(value)) return [];
  return (['any', 'all'] as const)
    .filter((k) => Array.isArray(value[k]))
    .map((k) => ({ list: value[k] as unknown[], path: [k] }));
}

function checkConditions(value: unknown, path: (string | number)[], out: UncompilablePart[]): void {
  for (const group of conditionsOf(value)) {
    group.list.forEach((condition, i) => {
      if (!isJsonObject(condition) || condition.operator === undefined) return;
      const at = [...path, ...group.path, i, 'operator'];
      if (typeof condition.operator !== 'string' || !isConditionOperator(condition.operator))
        out.push({ path: at, message: `is an unknown operator ${JSON.stringify(condition.operator)}` });
    });
  }
}

function typeName(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'a list' : `a ${typeof value}`;
}

/** A resource pattern is an object; `anyPattern` a list of them; conditions a list or `any`/`all`. */
function checkShapes(
  block: Record<string, unknown>,
  path: (string | number)[],
  out: UncompilablePart[],
): void {
  if (block.pattern !== undefined && !isJsonObject(block.pattern))
    out.push({
      path: [...path, 'pattern'],
      message: `must be an object (a resource pattern), not ${typeName(block.pattern)}`,
    });
  if (block.anyPattern !== undefined) {
    if (!Array.isArray(block.anyPattern))
      out.push({
        path: [...path, 'anyPattern'],
        message: `must be a list of patterns, not ${typeName(block.anyPattern)}`,
      });
    else
      block.anyPattern.forEach((p, i) => {
        if (!isJsonObject(p))
          out.push({
            path: [...path, 'anyPattern', i],
            message: `must be an object (a resource pattern), not ${typeName(p)}`,
          });
      });
  }
  if (block.deny !== undefined) {
    const conditions = isJsonObject(block.deny) ? block.deny.conditions : undefined;
    if (!isJsonObject(block.deny))
      out.push({
        path: [...path, 'deny'],
        message: `must be an object with conditions, not ${typeName(block.deny)}`,
      });
    else if (conditions !== undefined && !Array.isArray(conditions) && !isJsonObject(conditions))
      out.push({
        path: [...path, 'deny', 'conditions'],
        message: `must be a list or any/all lists, not ${typeName(conditions)}`,
      });
  }
}

function checkForeach(value: unknown, path: (string | number)[], out: UncompilablePart[]): void {
  if (!Array.isArray(value)) return;
  value.forEach((entry, i) => {
    if (!isJsonObject(entry)) return;
    checkShapes(entry, [...path, i], out);
    checkConditions(entry.preconditions, [...path, i, 'preconditions'], out);
    if (isJsonObject(entry.deny))
      checkConditions(entry.deny.conditions, [...path, i, 'deny', 'conditions'], out);
    checkForeach(entry.foreach, [...path, i, 'foreach'], out);
  });
}

function checkVariables(value: unknown, path: (string | number)[], out: UncompilablePart[]): void {
  if (typeof value === 'string') {
    if (!value.includes('{{')) return;
    for (const m of value.matchAll(INNERMOST)) {
      const why = explainInvalidJmespath(m[2] ?? '');
      if (why) out.push({ path, message: `has a variable that does not compile: ${why}` });
    }
    return;
  }
  if (Array.isArray(value))
    value.forEach((v, i) => {
      checkVariables(v, [...path, i], out);
    });
  else if (isJsonObject(value))
    for (const [k, v] of Object.entries(value)) checkVariables(v, [...path, k], out);
}

/**
 * Finds what makes a Kyverno rule impossible to evaluate whatever the resource: an unknown
 * condition operator or a `{{ }}` variable that is not valid JMESPath. Kyverno rejects such a
 * policy when it is created; Tollgate reports it instead of skipping it on resources it never matches.
 */
export function findUncompilableRuleParts(rule: Record<string, unknown>): UncompilablePart[] {
  const out: UncompilablePart[] = [];
  checkConditions(rule.preconditions, ['preconditions'], out);
  const validate = rule.validate;
  if (isJsonObject(validate)) {
    checkShapes(validate, ['validate'], out);
    if (isJsonObject(validate.deny))
      checkConditions(validate.deny.conditions, ['validate', 'deny', 'conditions'], out);
    checkForeach(validate.foreach, ['validate', 'foreach'], out);
  }
  for (const [key, value] of Object.entries(rule)) if (key !== 'name') checkVariables(value, [key], out);
  return out;
}
