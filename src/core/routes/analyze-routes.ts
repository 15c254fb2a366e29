import type { Manifest } from '../manifests/parse-manifests.ts';
import { type AnalyzeRoutesOptions, buildRouteUniverse } from './build-route-universe.ts';
import { checkBackends } from './check-backends.ts';
import { checkIngresses } from './check-ingresses.ts';
import { checkListeners } from './check-listeners.ts';
import { resolveControllerProfile } from './controller-profiles.ts';
import { findDuplicateMatches } from './find-duplicate-matches.ts';
import { findGrpcHttpConflicts } from './find-grpc-http-conflicts.ts';
import { findIngressHttpRouteOverlaps } from './find-ingress-httproute-overlaps.ts';
import { findInvalidRegexes } from './find-invalid-regexes.ts';
import { findListenerIsolationIssues } from './find-listener-isolation-issues.ts';
import { findRegexPathOverlaps } from './find-regex-path-overlaps.ts';
import { indexScopedMatches } from './index-scoped-matches.ts';
import { resolveAttachments } from './resolve-attachments.ts';
import type { RouteFinding } from './route-finding.ts';

export type { AnalyzeRoutesOptions } from './build-route-universe.ts';

/** Errors first, then by file and line. */
function byPriority(a: RouteFinding, b: RouteFinding): number {
  const la = a.locations[0];
  const lb = b.locations[0];
  return (
    (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1) ||
    (la?.file ?? '').localeCompare(lb?.file ?? '') ||
    (la?.line ?? 0) - (lb?.line ?? 0) ||
    a.type.localeCompare(b.type) ||
    a.objects.join(',').localeCompare(b.objects.join(','))
  );
}

/**
 * Route-conflict analysis over one environment's manifests (the universe: what is not in it or in
 * `options.external` does not exist). Resolves Gateway API attachments, then looks for the
 * collisions controllers resolve silently. Linear in the number of routes: everything is grouped by
 * scope (Gateway, listener, hostname) and normalised match key, never compared pairwise.
 */
export function analyzeRoutes(
  manifests: readonly Manifest[],
  options: AnalyzeRoutesOptions = {},
): RouteFinding[] {
  const universe = buildRouteUniverse(manifests, options);
  const profile = resolveControllerProfile(options.controller);
  const { attachments, findings: attachmentFindings } = resolveAttachments(universe);
  const scopes = [...indexScopedMatches(attachments).values()];
  const findings = [
    ...checkListeners(universe),
    ...attachmentFindings,
    ...checkBackends(universe, profile),
    ...findDuplicateMatches(scopes),
    ...findRegexPathOverlaps(scopes),
    ...findGrpcHttpConflicts(attachments, profile),
    ...findListenerIsolationIssues(attachments),
    ...checkIngresses(universe, profile),
    ...findIngressHttpRouteOverlaps(universe, attachments),
    ...findInvalidRegexes(universe),
  ];
  const reviewed = universe.reviewedIds;
  return findings.filter((f) => f.objects.some((id) => reviewed.has(id))).sort(byPriority);
}
