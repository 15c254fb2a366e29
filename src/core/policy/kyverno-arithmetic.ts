import { parseDuration, parseQuantity } from './parse-quantity.ts';

export type ArithmeticOp = 'add' | 'subtract' | 'multiply' | 'divide' | 'modulo';

type Operand = { kind: 'number' | 'quantity' | 'duration'; value: number; binary?: boolean };

function operand(v: unknown, fn: string): Operand {
  if (typeof v === 'number') return { kind: 'number', value: v };
  if (typeof v === 'string') {
    const d = parseDuration(v);
    if (d !== undefined && /[a-z]$/.test(v) && !/^[\d.]+m$/.test(v)) return { kind: 'duration', value: d };
    const q = parseQuantity(v);
    if (q !== undefined) return { kind: 'quantity', value: q, binary: /i$/.test(v) };
    if (d !== undefined) return { kind: 'duration', value: d };
  }
  throw new Error(`${fn}: invalid operand ${JSON.stringify(v)}`);
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

/** Kyverno's add/subtract/multiply/divide/modulo over numbers, quantities and durations. */
export function kyvernoArithmetic(op: ArithmeticOp, a: unknown, b: unknown): number | string {
  const x = operand(a, op);
  const y = operand(b, op);
  if ((op === 'divide' || op === 'modulo') && y.value === 0) throw new Error(`${op}: division by zero`);
  const raw =
    op === 'add'
      ? x.value + y.value
      : op === 'subtract'
        ? x.value - y.value
        : op === 'multiply'
          ? x.value * y.value
          : op === 'divide'
            ? x.value / y.value
            : x.value % y.value;
  if (x.kind === 'number' && y.kind === 'number') return raw;
  if (op === 'divide' && x.kind === y.kind) return raw;
  const kind = x.kind === 'number' ? y.kind : x.kind;
  if (kind === 'duration') return formatDuration(raw);
  return formatQuantity(raw, Boolean(x.binary || y.binary));
}
