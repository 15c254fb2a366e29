import { parseDuration, parseQuantity } from './parse-quantity.ts';

export type ArithmeticOp = 'add' | 'subtract' | 'multiply' | 'divide' | 'modulo';

type Operand =
  | { kind: 'scalar'; value: number }
  | { kind: 'quantity'; value: number; binary: boolean }
  | { kind: 'duration'; value: number };

/**
 * Kyverno's operand typing (pkg/engine/jmespath/arithmetic.go): a JSON number is a scalar; a
 * string is a Kubernetes quantity when it parses as one (so `"10"` and `"5m"` are quantities),
 * otherwise a Go duration (`"1h30m"`, `"10s"`).
 */
function operand(v: unknown, fn: string): Operand {
  if (typeof v === 'number') return { kind: 'scalar', value: v };
  if (typeof v === 'string') {
    const q = parseQuantity(v.trim() === v ? v : '');
    if (q !== undefined) return { kind: 'quantity', value: q, binary: /i$/.test(v) };
    const d = v.trim() === v ? parseDuration(v) : undefined;
    if (d !== undefined) return { kind: 'duration', value: d };
  }
  throw new Error(`${fn}: invalid operands`);
}

function mismatch(fn: string): Error {
  return new Error(`${fn}: types mismatch`);
}

/** Go's time.Duration String() form: `1h30m0s`, `1.5s`, `0s`. */
export function formatDuration(seconds: number): string {
  if (seconds === 0) return '0s';
  const sign = seconds < 0 ? '-' : '';
  let s = Math.abs(seconds);
  if (s < 1) return `${sign}${+(s * 1000).toFixed(6)}ms`;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const secs = `${+s.toFixed(9)}s`;
  if (h) return `${sign}${h}h${m}m${secs}`;
  if (m) return `${sign}${m}m${secs}`;
  return `${sign}${secs}`;
}

/** Kubernetes canonical-ish quantity string. */
export function formatQuantity(value: number, binary: boolean): string {
  if (Number.isInteger(value) && value !== 0) {
    const units: [string, number][] = binary
      ? [
          ['Ei', 1024 ** 6],
          ['Pi', 1024 ** 5],
          ['Ti', 1024 ** 4],
          ['Gi', 1024 ** 3],
          ['Mi', 1024 ** 2],
          ['Ki', 1024],
        ]
      : [
          ['E', 1e18],
          ['P', 1e15],
          ['T', 1e12],
          ['G', 1e9],
          ['M', 1e6],
          ['k', 1e3],
        ];
    for (const [suffix, size] of units) if (value % size === 0) return `${value / size}${suffix}`;
    return String(value);
  }
  if (Number.isInteger(Math.round(value * 1000 * 1e6) / 1e6)) return `${Math.round(value * 1000)}m`;
  return String(value);
}

function result(kind: Operand['kind'], value: number, binary: boolean): number | string {
  if (kind === 'scalar') return value;
  if (kind === 'duration') return formatDuration(Math.trunc(value * 1e9) / 1e9);
  return formatQuantity(value, binary);
}

/**
 * Kyverno's add/subtract/multiply/divide/modulo with its type rules: `+ - %` need two operands of
 * the same type (quantity, duration or scalar); `*` scales a quantity or duration by a scalar;
 * `/` divides a quantity or duration by a scalar (same type) or by its own type (a scalar).
 * Quantities come back as Kubernetes quantity strings, durations as Go duration strings.
 */
export function kyvernoArithmetic(op: ArithmeticOp, a: unknown, b: unknown): number | string {
  const x = operand(a, op);
  const y = operand(b, op);
  const binary = x.kind === 'quantity' ? x.binary : y.kind === 'quantity' && y.binary;
  switch (op) {
    case 'add':
    case 'subtract': {
      if (x.kind !== y.kind) throw mismatch(op);
      return result(x.kind, op === 'add' ? x.value + y.value : x.value - y.value, binary);
    }
    case 'multiply': {
      if (x.kind !== 'scalar' && y.kind !== 'scalar') throw mismatch(op);
      const kind = x.kind === 'scalar' ? y.kind : x.kind;
      return result(kind, x.value * y.value, binary);
    }
    case 'divide': {
      if (y.kind === 'scalar') {
        if (y.value === 0) throw new Error('divide: division by zero');
        const q = x.value / y.value;
        // Kyverno rounds a quantity quotient down at the operands' decimal scale.
        return result(x.kind, x.kind === 'quantity' ? roundQuantityDown(q, x.value, y.value) : q, binary);
      }
      if (x.kind !== y.kind) throw mismatch(op);
      if (y.value === 0) throw new Error('divide: division by zero');
      return x.value / y.value;
    }
    case 'modulo': {
      if (x.kind !== y.kind) throw mismatch(op);
      if (x.kind !== 'duration' && (!Number.isInteger(x.value) || !Number.isInteger(y.value))) {
        throw new Error('modulo: non-integer argument(s) for modulo');
      }
      if (y.value === 0) throw new Error('modulo: division by zero');
      return result(x.kind, x.value % y.value, binary);
    }
  }
}

function decimals(n: number): number {
  const s = String(n);
  const dot = s.indexOf('.');
  return dot < 0 || /e/i.test(s) ? 0 : s.length - dot - 1;
}

function roundQuantityDown(q: number, a: number, b: number): number {
  const scale = 10 ** Math.max(decimals(a), decimals(b), 3);
  return Math.trunc(q * scale) / scale;
}
