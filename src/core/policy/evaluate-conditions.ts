import { applyOperator } from './apply-condition-operator.ts';
import { isJsonObject } from './kyverno-policy.ts';
import { type SubstitutionMode, substituteAll } from './substitute-variables.ts';

export { applyOperator };

function evaluateOne(condition: unknown, context: unknown, mode: SubstitutionMode): boolean {
  if (!isJsonObject(condition)) throw new Error('a condition must be an object with key, operator, value');
  const key = substituteAll(condition.key, context, mode);
  const value = substituteAll(condition.value, context, mode);
  return applyOperator(String(condition.operator ?? 'Equals'), key, value);
}

/**
 * Evaluates Kyverno conditions (`{any: [...], all: [...]}` or a legacy list meaning all).
 * Throws when a variable cannot be resolved in `strict` mode.
 */
export function evaluateConditions(conditions: unknown, context: unknown, mode: SubstitutionMode): boolean {
  if (conditions === undefined || conditions === null) return true;
  if (Array.isArray(conditions)) return conditions.every((c) => evaluateOne(c, context, mode));
  if (!isJsonObject(conditions)) throw new Error('conditions must be a list or {any, all}');
  const any = Array.isArray(conditions.any) ? conditions.any : [];
  const all = Array.isArray(conditions.all) ? conditions.all : [];
  const anyOk = any.length === 0 || any.some((c) => evaluateOne(c, context, mode));
  return anyOk && all.every((c) => evaluateOne(c, context, mode));
}
