import {
  type BypassKind,
  bypassFinding,
  classifyPush,
  type GateState,
} from '../core/branch/classify-push.ts';
import { BYPASS_LABEL, bypassMarker, formatBypassIssue } from '../core/branch/format-bypass-issue.ts';
import type { Finding } from '../core/findings/finding.ts';
import { formatCheckSummary } from '../core/report/format-check-summary.ts';
import { buildReport } from '../core/report/report.ts';
import type { BranchPlatform, CommitSummary } from './ports/branch-platform.ts';
import type { EnvironmentRenderer } from './ports/environment-renderer.ts';
import type { ChangeRequest, UpsertOutcome } from './ports/platform.ts';
import { PermanentPlatformError } from './ports/platform-errors.ts';
import { reviewChange } from './review-change.ts';

export interface PushEvent {
  branch: string;
  before: string;
  after: string;
  /** Known from the event (GitHub); undefined: ask the platform (GitLab). */
  forced?: boolean;
  created: boolean;
  deleted: boolean;
  pusher: string;
}

export type PushOutcome =
  | { kind: 'ignored'; reason: string }
  | { kind: 'gated'; changeRequest: number }
  | {
      kind: 'bypass';
      bypass: BypassKind;
      findings: Finding[];
      issue: { outcome: UpsertOutcome; url: string };
    };

function isGone(error: unknown): boolean {
  return error instanceof PermanentPlatformError;
}

/**
 * A push to the protected branch: when it did not come from a merged merge request whose
 * `tollgate` check passed (direct push, force push, merge while failing/pending, deletion), the
 * new head gets a failing `tollgate` check carrying the findings of before..after, and one issue
 * names the commits, the pusher and the findings. Idempotent: a retried job edits the same check
 * and issue.
 */
export async function handlePush(
  platform: BranchPlatform,
  push: PushEvent,
  options: { protectedBranch: string; render: EnvironmentRenderer },
): Promise<PushOutcome> {
  if (push.branch !== options.protectedBranch) {
    return {
      kind: 'ignored',
      reason: `${push.branch} is not the protected branch ${options.protectedBranch}`,
    };
  }
  const forced =
    !push.deleted && !push.created && (push.forced ?? !(await platform.isAncestor(push.before, push.after)));
  let merged: ChangeRequest | undefined;
  let headCheckState: GateState | undefined;
  if (!push.deleted && !forced) {
    merged = await platform.findMergedChangeRequest(push.after);
    if (merged) headCheckState = await platform.getCheckState(merged.headSha);
  }
  const kind = classifyPush({
    deleted: push.deleted,
    forced,
    ...(merged ? { mergedChangeRequest: merged } : {}),
    ...(headCheckState ? { headCheckState } : {}),
  });
  if (!kind) return { kind: 'gated', changeRequest: merged!.number };

  const bypass = bypassFinding(kind, push.branch, {
    pusher: push.pusher,
    ...(merged ? { changeRequest: merged.number } : {}),
    headCheckState,
  });
  const reviewFindings: Finding[] = [];
  let commits: CommitSummary[] = [];
  let filesChecked = 0;
  if (!push.deleted && !push.created) {
    try {
      const report = await reviewChange({
        target: { baseSha: push.before, headSha: push.after, baseRef: push.branch, headRef: push.branch },
        head: platform.openTree(push.after),
        base: platform.openTree(push.before),
        changedFiles: await platform.listChangedFilesBetween(push.before, push.after),
        render: options.render,
      });
      reviewFindings.push(...report.findings);
      filesChecked = report.filesChecked;
      commits = await platform.listCommitsBetween(push.before, push.after);
    } catch (error) {
      // A force push can leave `before` unknown to the platform: report what is known.
      if (!isGone(error)) throw error;
      reviewFindings.push({
        check: 'branch',
        rule: 'bypass/not-reviewed',
        severity: 'warning',
        blocking: false,
        title: `The pushed commits could not be compared with ${push.before.slice(0, 12)}`,
        message: `The platform could not compare ${push.before} with ${push.after}: ${(error as Error).message}`,
      });
    }
  }

  if (!push.deleted) {
    const report = buildReport(
      { baseSha: push.before, headSha: push.after },
      [bypass, ...reviewFindings],
      filesChecked,
    );
    const { title, summary } = formatCheckSummary(report);
    await platform.setCheck(push.after, {
      state: 'failure',
      title: `${bypass.title} — ${title}`.slice(0, 250),
      summary: `${bypass.message}\n\n${summary}`,
      annotations: report.findings,
    });
  }

  const rendered = formatBypassIssue({
    kind,
    branch: push.branch,
    beforeSha: push.before,
    afterSha: push.after,
    pusher: push.pusher,
    commits,
    findings: reviewFindings,
    ...(merged ? { changeRequest: { number: merged.number, webUrl: merged.webUrl, headCheckState } } : {}),
    commitUrl: (sha) => platform.commitUrl(sha),
    platform: platform.kind,
  });
  const issue = await platform.upsertIssue(bypassMarker(push.branch, push.after), {
    ...rendered,
    labels: [BYPASS_LABEL],
  });
  return { kind: 'bypass', bypass: kind, findings: [bypass, ...reviewFindings], issue };
}
