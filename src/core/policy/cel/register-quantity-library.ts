import { type Environment, EvaluationError } from '@marcbachmann/cel-js';
import { parseQuantity, Quantity, quantityFromInteger } from './kubernetes-quantity.ts';

const Q = 'kubernetes.Quantity';

function requireQuantity(text: string): Quantity {
  const quantity = parseQuantity(text);
  if (!quantity) {
    throw new EvaluationError(
      `quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': '${text}'`,
    );
  }
  return quantity;
}

/** The Kubernetes CEL quantity library: `quantity('100Mi').isLessThan(quantity('1Gi'))` and friends. */
export function registerQuantityLibrary(env: Environment): void {
  env
    .registerType(Q, Quantity)
    .registerFunction(`quantity(string): ${Q}`, requireQuantity)
    .registerFunction('isQuantity(string): bool', (text: string) => parseQuantity(text) !== undefined)
    .registerFunction(`${Q}.sign(): int`, (q: Quantity) => BigInt(q.sign()))
    .registerFunction(`${Q}.isInteger(): bool`, (q: Quantity) => q.isInteger())
    .registerFunction(`${Q}.asApproximateFloat(): double`, (q: Quantity) => q.asApproximateFloat())
    .registerFunction(`${Q}.asInteger(): int`, (q: Quantity) => {
      const value = q.asInteger();
      if (value === undefined) throw new EvaluationError(`cannot convert value to integer: ${q}`);
      return value;
    })
    .registerFunction(`${Q}.compareTo(${Q}): int`, (a: Quantity, b: Quantity) => BigInt(a.compareTo(b)))
    .registerFunction(`${Q}.isLessThan(${Q}): bool`, (a: Quantity, b: Quantity) => a.compareTo(b) < 0)
    .registerFunction(`${Q}.isGreaterThan(${Q}): bool`, (a: Quantity, b: Quantity) => a.compareTo(b) > 0)
    .registerFunction(`${Q}.add(${Q}): ${Q}`, (a: Quantity, b: Quantity) => a.add(b))
    .registerFunction(`${Q}.add(int): ${Q}`, (a: Quantity, b: bigint) => a.add(quantityFromInteger(b)))
    .registerFunction(`${Q}.sub(${Q}): ${Q}`, (a: Quantity, b: Quantity) => a.sub(b))
    .registerFunction(`${Q}.sub(int): ${Q}`, (a: Quantity, b: bigint) => a.sub(quantityFromInteger(b)))
    .registerOperator(`${Q} == ${Q}`, (a: Quantity, b: Quantity) => a.compareTo(b) === 0);
}
