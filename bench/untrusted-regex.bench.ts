/**
 * Untrusted regular expressions: `(a+)+$` (a route path or policy pattern a fork can write; the
 * issue's `(a+)+b` behaves the same but lets RE2 reject early on the missing `b`) against n × `a`
 * followed by `!`. V8's backtracking RegExp doubles its time with each character (printed for
 * n = 16…24 only: seconds at 26, about 9 s at 28); compileUntrustedRegex (RE2 on re2js) is
 * measured at 28, 10,000 and 100,000 characters. The floor is V8 running the linear anchored
 * `^a+!$` over the same 100,000-character text in the same run. Exits non-zero when the RE2 time
 * is not linear (t(100,000) / t(10,000) > 20) or exceeds 200× the floor.
 *
 *   node bin/run.js bench/untrusted-regex.bench.ts
 */
import { compileUntrustedRegex } from '../src/core/regex/compile-untrusted-regex.ts';

/** Median of `repeat` runs, in ms (the machine is shared: medians, not means). */
function ms(f: () => unknown, repeat = 1): number {
  const runs: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const start = process.hrtime.bigint();
    f();
    runs.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return runs.sort((a, b) => a - b)[runs.length >> 1]!;
}

const text = (n: number) => `${'a'.repeat(n)}!`;
const PATTERN = '(a+)+$';
const compiled = compileUntrustedRegex(PATTERN);
if (!compiled.ok) throw new Error(compiled.error);
const re2 = compiled.regex;

console.log('V8 RegExp (backtracking), /(a+)+$/.test("a" * n + "!"):');
for (const n of [16, 18, 20, 22, 24]) {
  const v8 = new RegExp(PATTERN);
  console.log(`  n=${n}: ${ms(() => v8.test(text(n))).toFixed(1)} ms`);
}

ms(() => re2.test(text(1000)), 50); // warm-up
const [s28, s10k, s100k] = [text(28), text(10_000), text(100_000)];
const t28 = ms(() => re2.test(s28), 31);
const t10k = ms(() => re2.test(s10k), 31);
const t100k = ms(() => re2.test(s100k), 31);
const benign = /^a+!$/;
const floor = ms(() => benign.test(s100k), 31);
console.log('compileUntrustedRegex (RE2, re2js), same pattern:');
console.log(
  `  n=28: ${t28.toFixed(3)} ms   n=10,000: ${t10k.toFixed(3)} ms   n=100,000: ${t100k.toFixed(3)} ms`,
);
console.log(`  growth t(100,000)/t(10,000): ${(t100k / t10k).toFixed(1)} (linear ≈ 10; goal ≤ 20)`);
console.log(
  `  floor (V8 /^a+!$/ on 100,000): ${floor.toFixed(3)} ms; RE2 ÷ floor: ${(t100k / floor).toFixed(1)} (goal ≤ 200)`,
);
if (t100k / t10k > 20 || t100k / floor > 200) {
  console.log('FAIL: untrusted regex matching is not linear or too slow');
  process.exitCode = 1;
}
