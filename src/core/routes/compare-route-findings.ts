import { type RouteFinding, routeFindingKey } from './route-finding.ts';

export interface RouteFindingComparison {
  /** In head, not in base: what the merge request brings. */
  introduced: RouteFinding[];
  /** In both (head's version: lines and wording are current). */
  existing: RouteFinding[];
  /** In base, gone in head. */
  resolved: RouteFinding[];
}

/** Base vs head of a merge request, keyed by (type, objects): lines and wording may change freely. */
export function compareRouteFindings(
  base: readonly RouteFinding[],
  head: readonly RouteFinding[],
): RouteFindingComparison {
  const baseKeys = new Set(base.map(routeFindingKey));
  const headKeys = new Set(head.map(routeFindingKey));
  return {
    introduced: head.filter((f) => !baseKeys.has(routeFindingKey(f))),
    existing: head.filter((f) => baseKeys.has(routeFindingKey(f))),
    resolved: base.filter((f) => !headKeys.has(routeFindingKey(f))),
  };
}
