import { compareFindings, type Finding } from '../findings/finding.ts';

export type Verdict = 'pass' | 'fail';

/** What was compared: the merge request's base and head (or two local refs). */
export interface ReviewTarget {
  baseSha?: string;
  headSha: string;
  baseRef?: string;
  headRef?: string;
}

/**
 * The result of reviewing one change: plain data, rendered by pure functions into a comment,
 * a check-run summary, annotations, SARIF, JUnit... Capabilities add their own sections.
 */
export interface Report {
  verdict: Verdict;
  target: ReviewTarget;
  /** Sorted: blocking first, then by severity, file and line. */
  findings: Finding[];
  /** Files the review looked at (changed YAML files for the syntax check). */
  filesChecked: number;
}

export function decideVerdict(findings: readonly Finding[]): Verdict {
  return findings.some((f) => f.blocking) ? 'fail' : 'pass';
}

export function buildReport(target: ReviewTarget, findings: Finding[], filesChecked: number): Report {
  const sorted = [...findings].sort(compareFindings);
  return { verdict: decideVerdict(sorted), target, findings: sorted, filesChecked };
}
