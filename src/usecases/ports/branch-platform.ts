import type { ChangeRequest, CheckState, Platform, UpsertOutcome } from './platform.ts';

export interface CommitSummary {
  sha: string;
  /** First line of the commit message. */
  title: string;
  author?: string;
}

export interface IssueDraft {
  title: string;
  body: string;
  labels: string[];
}

/**
 * The Platform plus what branch discipline needs: how far a branch is behind, which merge request
 * produced a commit, the state of the `tollgate` check, and one idempotent issue per bypass.
 * Kept apart from `Platform` so the existing adapters and their fakes stay as they are; the
 * adapters' `create*BranchPlatform` factories build both in one object.
 */
export interface BranchPlatform extends Platform {
  /** Commits on `baseRef` that `headSha` lacks (GitHub compare `behind_by`; GitLab compare head→target). */
  countCommitsBehind(baseRef: string, headSha: string): Promise<number>;
  /** Every open change request (all pages). */
  listOpenChangeRequests(): Promise<ChangeRequest[]>;
  /**
   * The latest `tollgate` check on a commit: `success`/`failure` are final verdicts, `pending` is
   * running, `error` ended without a verdict (cancelled, timed out, stale); undefined: never set.
   */
  getCheckState(sha: string): Promise<CheckState | undefined>;
  /** The merged change request whose merge (merge, squash or fast-forward) produced `sha`. */
  findMergedChangeRequest(sha: string): Promise<ChangeRequest | undefined>;
  /** True when `ancestorSha` is reachable from `sha` (a push that did not rewrite history). */
  isAncestor(ancestorSha: string, sha: string): Promise<boolean>;
  /** Commits in `headSha` but not in `baseSha`, oldest first (the platform may cap the list). */
  listCommitsBetween(baseSha: string, headSha: string): Promise<CommitSummary[]>;
  commitUrl(sha: string): string;
  /** Ensures one issue by the bot carries `marker`: creates it, or edits it when it differs. */
  upsertIssue(marker: string, issue: IssueDraft): Promise<{ outcome: UpsertOutcome; url: string }>;
}

/**
 * Remembers ETags of GitHub reads and the data they returned: a conditional request that answers
 * 304 Not Modified does not count against the rate limit. Implemented over Redis by the queue.
 */
export interface ConditionalCache {
  get(key: string): Promise<{ etag: string; value: unknown } | undefined>;
  set(key: string, entry: { etag: string; value: unknown }): Promise<void>;
}

export const ZERO_SHA = '0000000000000000000000000000000000000000';
