import { compareFindings, type Finding } from '../findings/finding.ts';

/** GitHub takes at most 50 annotations per check-run request; Tollgate sends one request per run. */
export const MAX_ANNOTATIONS = 50;

export interface AnnotationSelection {
  /** The most important located findings, at most `limit`, most important first. */
  annotations: Finding[];
  /** Located findings left out. */
  omitted: number;
}

/** A finding on a file of the repository (not Tollgate's shipped policies, not a pseudo-file). */
export function isRepositoryLocated(f: Finding): boolean {
  const file = f.location?.file;
  return Boolean(file) && !/^(tollgate:|\()/.test(file!);
}

/**
 * The findings worth a line annotation when only `limit` fit: blocking ones first, then those on
 * files the change touches, then those the change introduced (not already on the base branch),
 * then by severity, file and line. A big change then costs one write, however many findings it has.
 */
export function selectAnnotations(
  findings: readonly Finding[],
  changedPaths: ReadonlySet<string>,
  limit = MAX_ANNOTATIONS,
): AnnotationSelection {
  const rank = (f: Finding) =>
    (f.blocking ? 0 : 4) + (changedPaths.has(f.location!.file) ? 0 : 2) + (f.alreadyOn ? 1 : 0);
  const located = findings.filter(isRepositoryLocated);
  const ranked = [...located].sort((a, b) => rank(a) - rank(b) || compareFindings(a, b));
  return { annotations: ranked.slice(0, limit), omitted: Math.max(0, ranked.length - limit) };
}
