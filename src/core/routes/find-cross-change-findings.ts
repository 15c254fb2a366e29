import type { Finding } from '../findings/finding.ts';
import type { Manifest } from '../manifests/parse-manifests.ts';
import { findCrossChangeConflicts } from './find-cross-change-conflicts.ts';
import { routeFindingKey } from './route-finding.ts';
import { routeFindingsToFindings } from './route-findings-to-findings.ts';
import { fromStoredManifest, type RouteSnapshot } from './route-snapshot.ts';

export interface RenderedManifests {
  environment: string;
  manifests: Manifest[];
}

/** Per other merge request: the keys of the conflicts found with it (to tell new ones apart). */
export interface CrossChangeSummary {
  number: number;
  keys: string[];
}

/**
 * Route conflicts that appear only once this merge request and another open one (same target
 * branch) are both merged: per environment, my head against the target (my base render) with each
 * other's kept objects laid over it. They warn, never block: neither change is wrong on its own.
 */
export function findCrossChangeFindings(
  base: readonly RenderedManifests[],
  head: readonly RenderedManifests[],
  others: readonly RouteSnapshot[],
  label: (number: number) => string,
): { findings: Finding[]; conflicts: CrossChangeSummary[] } {
  const findings: Finding[] = [];
  const keys = new Map<number, Set<string>>();
  for (const env of head) {
    const target = base.find((b) => b.environment === env.environment)?.manifests ?? [];
    const candidates = others.flatMap((o) => {
      const theirs = o.environments.find((e) => e.environment === env.environment);
      return theirs?.manifests.length
        ? [{ id: String(o.number), manifests: theirs.manifests.map(fromStoredManifest) }]
        : [];
    });
    if (candidates.length === 0) continue;
    for (const conflict of findCrossChangeConflicts(target, env.manifests, candidates)) {
      const number = Number(conflict.otherId);
      const set = keys.get(number) ?? new Set<string>();
      keys.set(number, set);
      for (const f of conflict.findings) set.add(`${env.environment}|${routeFindingKey(f)}`);
      for (const f of routeFindingsToFindings(conflict.findings, env.environment)) {
        findings.push({
          ...f,
          rule: `cross-change/${f.rule}`,
          severity: 'warning',
          blocking: false,
          title: `Collides with ${label(number)} once both merge: ${f.title}`,
          message: `collides with ${label(number)} once both merge: ${f.message}`,
          remedy:
            `Agree with ${label(number)} on who keeps the route, then change one of the two. ${f.remedy ?? ''}`.trim(),
        });
      }
    }
  }
  return {
    findings,
    conflicts: [...keys]
      .map(([number, set]) => ({ number, keys: [...set].sort() }))
      .sort((a, b) => a.number - b.number),
  };
}
