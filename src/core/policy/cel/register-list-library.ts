import { type Environment, EvaluationError, Optional } from '@marcbachmann/cel-js';
import { celCompare, celEquals } from './compare-cel-values.ts';

type CelList = readonly unknown[];

function sum(list: CelList): unknown {
  if (list.length === 0) return 0n;
  if (list.every((x) => typeof x === 'bigint')) return (list as bigint[]).reduce((a, b) => a + b, 0n);
  if (list.every((x) => typeof x === 'number')) return (list as number[]).reduce((a, b) => a + b, 0);
  throw new EvaluationError('no such overload: sum() needs a list of only ints or only doubles');
}

function extreme(list: CelList, name: string, pick: (order: number) => boolean): unknown {
  if (list.length === 0) throw new EvaluationError(`${name} called on empty list`);
  let best = list[0];
  for (const item of list.slice(1)) if (pick(celCompare(item, best))) best = item;
  return best;
}

function indexOf(list: CelList, value: unknown): bigint {
  return BigInt(list.findIndex((x) => celEquals(x, value)));
}

function lastIndexOf(list: CelList, value: unknown): bigint {
  for (let i = list.length - 1; i >= 0; i--) if (celEquals(list[i], value)) return BigInt(i);
  return -1n;
}

function slice(list: CelList, start: bigint, end: bigint): CelList {
  if (start < 0n || end < 0n)
    throw new EvaluationError(`cannot slice(${start}, ${end}), negative indexes not supported`);
  if (start > end)
    throw new EvaluationError(
      `cannot slice(${start}, ${end}), start index must be less than or equal to end index`,
    );
  if (end > BigInt(list.length))
    throw new EvaluationError(`cannot slice(${start}, ${end}), list is length ${list.length}`);
  return list.slice(Number(start), Number(end));
}

function flatten(list: CelList, depth: number): CelList {
  return list.flatMap((x) => (Array.isArray(x) && depth > 0 ? flatten(x, depth - 1) : [x]));
}

function distinct(list: CelList): CelList {
  const out: unknown[] = [];
  for (const item of list) if (!out.some((x) => celEquals(x, item))) out.push(item);
  return out;
}

class SetsNamespace {}

/**
 * The Kubernetes CEL lists library (`isSorted`, `sum`, `min`, `max`, `indexOf`, `lastIndexOf`),
 * the common parts of cel-go's lists extension (`slice`, `flatten`, `distinct`, `sort`, `reverse`,
 * `first`, `last`) and the sets extension (`sets.contains`, `sets.equivalent`, `sets.intersects`).
 */
export function registerListLibrary(env: Environment): void {
  env
    .registerFunction('list<dyn>.isSorted(): bool', (list: CelList) =>
      list.every((x, i) => i === 0 || celCompare(list[i - 1], x) <= 0),
    )
    .registerFunction('list<dyn>.sum(): dyn', sum)
    .registerFunction('list<dyn>.min(): dyn', (list: CelList) => extreme(list, 'min', (o) => o < 0))
    .registerFunction('list<dyn>.max(): dyn', (list: CelList) => extreme(list, 'max', (o) => o > 0))
    .registerFunction('list<dyn>.indexOf(dyn): int', indexOf)
    .registerFunction('list<dyn>.lastIndexOf(dyn): int', lastIndexOf)
    .registerFunction('list<dyn>.slice(int, int): list<dyn>', slice)
    .registerFunction('list<dyn>.flatten(): list<dyn>', (list: CelList) => flatten(list, 1))
    .registerFunction('list<dyn>.flatten(int): list<dyn>', (list: CelList, depth: bigint) => {
      if (depth < 0n) throw new EvaluationError('level must be non-negative');
      return flatten(list, Number(depth));
    })
    .registerFunction('list<dyn>.distinct(): list<dyn>', distinct)
    .registerFunction('list<dyn>.reverse(): list<dyn>', (list: CelList) => [...list].reverse())
    .registerFunction('list<dyn>.sort(): list<dyn>', (list: CelList) => [...list].sort(celCompare))
    .registerFunction('list<dyn>.first(): optional<dyn>', (list: CelList) =>
      list.length > 0 ? Optional.of(list[0]) : Optional.none(),
    )
    .registerFunction('list<dyn>.last(): optional<dyn>', (list: CelList) =>
      list.length > 0 ? Optional.of(list[list.length - 1]) : Optional.none(),
    )
    .registerType('SetsNamespace', SetsNamespace)
    .registerConstant('sets', 'SetsNamespace', new SetsNamespace())
    .registerFunction(
      'SetsNamespace.contains(list<dyn>, list<dyn>): bool',
      (_: unknown, a: CelList, b: CelList) => b.every((x) => a.some((y) => celEquals(x, y))),
    )
    .registerFunction(
      'SetsNamespace.equivalent(list<dyn>, list<dyn>): bool',
      (_: unknown, a: CelList, b: CelList) =>
        b.every((x) => a.some((y) => celEquals(x, y))) && a.every((x) => b.some((y) => celEquals(x, y))),
    )
    .registerFunction(
      'SetsNamespace.intersects(list<dyn>, list<dyn>): bool',
      (_: unknown, a: CelList, b: CelList) => a.some((x) => b.some((y) => celEquals(x, y))),
    );
}
