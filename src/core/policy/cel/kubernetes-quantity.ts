/**
 * Kubernetes resource quantities (`100Mi`, `0.5`, `250m`, `1e3`) as exact rationals, the value
 * type behind the Kubernetes CEL `quantity()` library. Parsing follows the grammar of
 * `k8s.io/apimachinery/pkg/api/resource` (sign, digits, optional fraction, one suffix).
 */
const BINARY_SUFFIXES: Record<string, bigint> = {
  Ki: 1n << 10n,
  Mi: 1n << 20n,
  Gi: 1n << 30n,
  Ti: 1n << 40n,
  Pi: 1n << 50n,
  Ei: 1n << 60n,
};

const DECIMAL_SUFFIXES: Record<string, number> = {
  n: -9,
  u: -6,
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};

const QUANTITY_PATTERN = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(.*)$/;
const EXPONENT_PATTERN = /^[eE]([+-]?[0-9]+)$/;
const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

export class Quantity {
  /** value = numerator / denominator, denominator > 0, reduced. */
  readonly numerator: bigint;
  readonly denominator: bigint;
  /** The text it was parsed from (empty for computed quantities). */
  readonly text: string;

  constructor(numerator: bigint, denominator: bigint, text = '') {
    const sign = denominator < 0n ? -1n : 1n;
    const divisor = gcd(numerator, denominator) || 1n;
    this.numerator = (sign * numerator) / divisor;
    this.denominator = (sign * denominator) / divisor;
    this.text = text;
  }

  compareTo(other: Quantity): -1 | 0 | 1 {
    const left = this.numerator * other.denominator;
    const right = other.numerator * this.denominator;
    return left < right ? -1 : left > right ? 1 : 0;
  }

  add(other: Quantity): Quantity {
    return new Quantity(
      this.numerator * other.denominator + other.numerator * this.denominator,
      this.denominator * other.denominator,
    );
  }

  sub(other: Quantity): Quantity {
    return this.add(new Quantity(-other.numerator, other.denominator));
  }

  sign(): -1 | 0 | 1 {
    return this.numerator < 0n ? -1 : this.numerator > 0n ? 1 : 0;
  }

  isInteger(): boolean {
    return this.denominator === 1n && this.numerator >= INT64_MIN && this.numerator <= INT64_MAX;
  }

  /** The value as an int64, or undefined when it is fractional or out of range. */
  asInteger(): bigint | undefined {
    return this.isInteger() ? this.numerator : undefined;
  }

  asApproximateFloat(): number {
    return Number(this.numerator) / Number(this.denominator);
  }

  toString(): string {
    if (this.text) return this.text;
    if (this.denominator === 1n) return String(this.numerator);
    const milli = (this.numerator * 1000n) / this.denominator;
    if ((milli * this.denominator) / 1000n === this.numerator) return `${milli}m`;
    return String(this.asApproximateFloat());
  }
}

export function quantityFromInteger(value: bigint): Quantity {
  return new Quantity(value, 1n);
}

const parsedQuantities = new Map<string, Quantity | undefined>();

/** Parses a quantity string; undefined when it is not one. Results are memoised (quantities are immutable). */
export function parseQuantity(text: string): Quantity | undefined {
  if (parsedQuantities.has(text)) return parsedQuantities.get(text);
  const quantity = parseQuantityText(text);
  if (parsedQuantities.size >= 10_000) parsedQuantities.clear();
  parsedQuantities.set(text, quantity);
  return quantity;
}

function parseQuantityText(text: string): Quantity | undefined {
  const match = QUANTITY_PATTERN.exec(text);
  if (!match) return undefined;
  const [, numberPart = '', suffix = ''] = match;
  const negative = numberPart.startsWith('-');
  const unsigned = numberPart.replace(/^[+-]/, '');
  const [whole = '', fraction = ''] = unsigned.split('.');
  let numerator = BigInt((whole || '0') + fraction);
  let denominator = 10n ** BigInt(fraction.length);
  if (negative) numerator = -numerator;
  const binary = BINARY_SUFFIXES[suffix];
  if (binary !== undefined) return new Quantity(numerator * binary, denominator, text);
  let exponent = DECIMAL_SUFFIXES[suffix];
  if (exponent === undefined) {
    const exponentMatch = EXPONENT_PATTERN.exec(suffix);
    if (!exponentMatch) return undefined;
    exponent = Number(exponentMatch[1]);
    if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 1000) return undefined;
  }
  if (exponent >= 0) numerator *= 10n ** BigInt(exponent);
  else denominator *= 10n ** BigInt(-exponent);
  return new Quantity(numerator, denominator, text);
}
