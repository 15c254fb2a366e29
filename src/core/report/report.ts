import type { ManifestDiffReport } from '../diff/manifest-diff.ts';
import { compareFindings, type Finding } from '../findings/finding.ts';
import type { ReviewStats } from './review-stats.ts';

export type Verdict = 'pass' | 'fail';

/** What was compared: the merge request's base and head (or two local refs). */
export interface ReviewTarget {
  baseSha?: string;
  headSha: string;
  baseRef?: string;
  headRef?: string;
}

/** Which policies judged the change. */
export interface PolicySummary {
  /** `repository`: the repo's policy folders (read from base); `shipped`: Tollgate's defaults. */
  source: 'repository' | 'shipped' | 'none';
  policies: number;
  /** Rule × resource evaluations at head (of the objects the change made or altered). */
  evaluations: number;
  /** Head objects identical at base, not evaluated again: their findings are already on base. */
  unchanged?: number;
  /** Of those, how many passed and failed (Kyverno's own pass/fail counts; skips are neither). */
  passed?: number;
  failed?: number;
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
  /** Changed YAML files the syntax check read. */
  filesChecked: number;
  /** `.tollgate.yml` (from base) when the repository has one. */
  configFile?: string;
  /** `.tollgate.yml` and policy files the change edits: validated now, in force after merge. */
  rulesChanged?: string[];
  /** Environments rendered, in order. */
  environments?: string[];
  diff?: ManifestDiffReport;
  policy?: PolicySummary;
  /** The checks that ran (a check with no findings passed): JUnit shows each as a test suite. */
  checks?: string[];
  /** Where the review's work and time went. */
  stats?: ReviewStats;
}

export function decideVerdict(findings: readonly Finding[]): Verdict {
  return findings.some((f) => f.blocking) ? 'fail' : 'pass';
}

export function buildReport(
  target: ReviewTarget,
  findings: Finding[],
  filesChecked: number,
  sections: Omit<Report, 'verdict' | 'target' | 'findings' | 'filesChecked'> = {},
): Report {
  const sorted = [...findings].sort(compareFindings);
  return { verdict: decideVerdict(sorted), target, findings: sorted, filesChecked, ...sections };
}
