import type { Finding } from '../../core/findings/finding.ts';
import type { FindingThread } from '../../core/review/select-finding-threads.ts';
import type { ChangedFile } from './changed-file.ts';
import type { SourceTree } from './source-tree.ts';

export type PlatformKind = 'github' | 'gitlab';

/** A merge request (GitLab) or pull request (GitHub) as the worker needs it. */
export interface ChangeRequest {
  number: number;
  headSha: string;
  baseSha: string;
  baseRef: string;
  headRef: string;
  state: 'open' | 'closed' | 'merged';
  webUrl: string;
}

export type CheckState = 'pending' | 'success' | 'failure' | 'error';

/** The `tollgate` check on one commit: a GitHub Check Run or a GitLab commit status. */
export interface CheckResult {
  state: CheckState;
  /** One line: "2 blocking problems". */
  title: string;
  /** Markdown summary (GitHub shows it on the check run page; GitLab gets the title only). */
  summary?: string;
  /** The full report in markdown, for the check run's details (GitHub); the comment may be truncated. */
  text?: string;
  detailsUrl?: string;
  /** Findings with a location become line annotations where the platform has them. */
  annotations?: readonly Finding[];
}

export type UpsertOutcome = 'created' | 'updated' | 'unchanged';

/** What a finding-discussion sync wrote; `superseded` when the head moved on meanwhile. */
export type FindingDiscussionResult =
  | { created: number; resolved: number; reopened: number; skipped: number; deferred: number }
  | { superseded: true };

/** Ensures one open line discussion per thread at `headSha`, and resolves the ones whose finding is gone. */
export type FindingDiscussionSync = (
  number: number,
  headSha: string,
  threads: readonly FindingThread[],
) => Promise<FindingDiscussionResult>;

/**
 * Everything the use cases need from GitHub or GitLab, bound to one repository/project.
 * Reads are apart from writes; writes converge ("upsert"), so a retried job never duplicates output.
 */
export interface Platform {
  readonly kind: PlatformKind;
  /** `owner/repo` or the GitLab project path/id. */
  readonly project: string;
  getChangeRequest(number: number): Promise<ChangeRequest>;
  listChangedFiles(number: number): Promise<ChangedFile[]>;
  /** Files changed between two commits (merge-queue groups have no change request). */
  listChangedFilesBetween(baseSha: string, headSha: string): Promise<ChangedFile[]>;
  openTree(sha: string): SourceTree;
  /** Commits on `baseRef` that `headSha` lacks: how far the change is behind its target branch. */
  countCommitsBehind(baseRef: string, headSha: string): Promise<number>;
  /** Link to a file (and line) at a commit, for comments. */
  fileUrl(sha: string, path: string, line?: number): string;
  setCheck(sha: string, result: CheckResult): Promise<void>;
  /**
   * Ensures exactly one comment by the bot carrying `marker` on the change request has `body`:
   * creates it, edits it in place, or leaves it alone when unchanged. Extra copies (a race) are hidden.
   */
  upsertComment(number: number, marker: string, body: string): Promise<UpsertOutcome>;
  /**
   * Optional (GitLab): blocking findings as merge request diff discussions on their changed lines,
   * resolved when fixed. GitHub gets line annotations through the check run instead.
   */
  syncFindingDiscussions?: FindingDiscussionSync;
}
