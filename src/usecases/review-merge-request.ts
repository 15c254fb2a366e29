import type { CheckOverride } from '../core/chatops/check-override.ts';
import type { EnvironmentLock } from '../core/chatops/find-lock-findings.ts';
import { formatDiffMarkdown } from '../core/diff/format-diff-markdown.ts';
import type { PolicyFile } from '../core/policy/load-policies.ts';
import { formatCheckSummary } from '../core/report/format-check-summary.ts';
import type { EnvironmentRenderer } from './ports/environment-renderer.ts';

/** GitHub check run `output.text` holds at most 65,535 characters. */
const CHECK_TEXT_BUDGET = 64_000;

import type { ParsedManifestCache } from '../core/manifests/parsed-manifest-cache.ts';
import { formatComment, REPORT_MARKER } from '../core/report/format-comment.ts';
import { buildReport, type Report } from '../core/report/report.ts';
import { selectAnnotations } from '../core/report/select-annotations.ts';
import { selectFindingThreads } from '../core/review/select-finding-threads.ts';
import { toStoredManifest } from '../core/routes/route-snapshot.ts';
import type { ChangedFile } from './ports/changed-file.ts';
import type { CheckResult, FindingDiscussionResult, Platform } from './ports/platform.ts';
import { RepositoryArchiveError } from './ports/repository-archive-error.ts';
import type { RouteSnapshotStore, TargetScope } from './ports/route-snapshot-store.ts';
import { type ReviewDetail, type ReviewInput, reviewChangeInDetail } from './review-change.ts';

/** Reviews the trees; a repository archive refused for its size or content is the one finding. */
async function reviewTrees(input: ReviewInput): Promise<ReviewDetail> {
  try {
    return await reviewChangeInDetail(input);
  } catch (error) {
    if (!(error instanceof RepositoryArchiveError)) throw error;
    return { report: buildReport(input.target, [error.toFinding()], 0), routeObjects: [], crossChange: [] };
  }
}

/** What the review needs besides the platform: Tollgate's defaults, the render environment, state. */
export interface ReviewSettings {
  /** Renders the environments of base and head (src/adapters/render, with the worker's sandboxed runner). */
  render: EnvironmentRenderer;
  /** Parsed files the worker keeps across reviews (the next merge request on a base parses what it changed). */
  parseCache?: ParsedManifestCache;
  shippedPolicies?: readonly PolicyFile[];
  /** Frozen environments of the project (`/tollgate lock`). */
  readLocks?: (platform: Platform) => Promise<EnvironmentLock[]>;
  /** Recorded `/tollgate override`s of this merge request at this head. */
  readOverrides?: (platform: Platform, number: number, headSha: string) => Promise<CheckOverride[]>;
  /** Route conflicts with the other open merge requests to the same target branch. */
  crossChange?: {
    store: RouteSnapshotStore;
    /**
     * Asks for a check of another merge request whose conflict with this one is new, so it warns
     * too. Absent for a check that such a request started: that one tells nobody (no ping-pong).
     */
    notify?: (number: number, headSha: string, reason: string) => Promise<void>;
  };
  /**
   * True when this head already has a final verdict from Tollgate: a late event for an older
   * head then changes nothing (no pending flicker, no second review).
   */
  hasFinalCheck?: (headSha: string) => Promise<boolean>;
  /** Keeps the report for the details page and returns its signed link (the check's "Details"). */
  publishDetails?: (platform: Platform, number: number, headSha: string, report: Report) => Promise<string>;
}

/** The parts of the settings the review itself takes (the readers are resolved here). */
async function resolveSettings(
  platform: Platform,
  settings: ReviewSettings,
  number: number,
  headSha: string,
) {
  const { readLocks, readOverrides, crossChange: _crossChange, hasFinalCheck: _final, ...rest } = settings;
  const [locks, overrides] = await Promise.all([
    readLocks?.(platform) ?? [],
    readOverrides?.(platform, number, headSha) ?? [],
  ]);
  return { ...rest, locks, overrides };
}

/** Commits the branch lacks; unknown (undefined) when the platform cannot say, which is not an error. */
async function behindBy(platform: Platform, baseRef: string, headSha: string): Promise<number | undefined> {
  try {
    return await platform.countCommitsBehind(baseRef, headSha);
  } catch {
    return undefined;
  }
}

/**
 * Blocking findings as line discussions where the platform has them (GitLab). Best effort: the
 * verdict is published already, and a failure here must not turn it into an error.
 */
async function syncDiscussions(
  platform: Platform,
  number: number,
  headSha: string,
  report: Report,
  changedFiles: readonly ChangedFile[],
): Promise<FindingDiscussionResult | { failed: string } | undefined> {
  if (!platform.syncFindingDiscussions) return undefined;
  const changed = new Set(changedFiles.filter((f) => f.status !== 'removed').map((f) => f.path));
  try {
    return await platform.syncFindingDiscussions(
      number,
      headSha,
      selectFindingThreads(report.findings, changed),
    );
  } catch (error) {
    return { failed: (error as Error).message };
  }
}

/**
 * The final check: verdict, summary, the full manifest diff (GitHub shows it on the check run,
 * where the comment may have cut it), and only the most important findings as line annotations,
 * so publishing costs one write however big the change (GitHub's secondary limits allow about 80
 * content writes a minute). The summary says how many were left out and where they all are.
 */
function finalCheck(report: Report, changedFiles: readonly ChangedFile[]): CheckResult {
  const { title, summary } = formatCheckSummary(report);
  const changed = new Set(changedFiles.filter((f) => f.status !== 'removed').map((f) => f.path));
  const { annotations, omitted } = selectAnnotations(report.findings, changed);
  const note = omitted
    ? `\n\n${annotations.length} of ${annotations.length + omitted} findings are annotated here (blocking first, then those on changed files); the Tollgate comment and \`tollgate check\` list them all.`
    : '';
  return {
    state: report.verdict === 'pass' ? 'success' : 'failure',
    title,
    summary: summary + note,
    ...(report.diff
      ? { text: formatDiffMarkdown(report.diff, { budget: CHECK_TEXT_BUDGET, headingLevel: 2 }) }
      : {}),
    annotations,
  };
}

const labelFor = (platform: Platform) => (n: number) => (platform.kind === 'gitlab' ? `!${n}` : `#${n}`);

/**
 * Keeps this merge request's route objects for the next review of another one, and asks each
 * merge request it newly collides with (and that is still open) to be checked again. Best effort.
 */
async function keepAndNotify(
  platform: Platform,
  cross: NonNullable<ReviewSettings['crossChange']>,
  scope: TargetScope,
  number: number,
  headSha: string,
  detail: ReviewDetail,
): Promise<CrossChangeOutcome> {
  try {
    await cross.store.save(scope, {
      number,
      headSha,
      savedAt: new Date().toISOString(),
      environments: detail.routeObjects
        .filter((e) => e.manifests.length > 0)
        .map((e) => ({ environment: e.environment, manifests: e.manifests.map(toStoredManifest) })),
    });
    const fresh = await cross.store.recordConflicts(scope, number, detail.crossChange);
    const notified: number[] = [];
    if (cross.notify) {
      for (const { number: other } of fresh) {
        const change = await platform.getChangeRequest(other);
        if (change.state !== 'open') continue;
        await cross.notify(other, change.headSha, `route conflict with ${labelFor(platform)(number)}`);
        notified.push(other);
      }
    }
    return { conflicts: detail.crossChange.map((c) => c.number), notified };
  } catch (error) {
    return { failed: (error as Error).message };
  }
}

export type CrossChangeOutcome = { conflicts: number[]; notified: number[] } | { failed: string };

export type ReviewOutcome =
  | {
      kind: 'published';
      /** The head that was reviewed: the merge request's current head when the job started. */
      headSha: string;
      report: Report;
      comment: 'created' | 'updated' | 'unchanged';
      discussions?: FindingDiscussionResult | { failed: string };
      crossChange?: CrossChangeOutcome;
    }
  /** The head moved on during the review: the verdict is on `headSha`, `currentHead` needs a check. */
  | { kind: 'superseded'; headSha: string; currentHead: string }
  /** The event's head is outdated and the current head has a final verdict already. */
  | { kind: 'already-checked'; currentHead: string };

/**
 * Reviews a merge request and publishes the result: a pending check first, one sticky comment,
 * then the final check. Platforms do not deliver events in order, so the job reviews the head the
 * merge request has *now* (read from the platform), not `eventHeadSha`, the head its event saw: a
 * late event for an older head still ends with the current head checked. When the head moves on
 * during the review, the verdict stays on the reviewed commit and the comment is left to the
 * newer head's check (the outcome says which head that is).
 */
export async function reviewMergeRequest(
  platform: Platform,
  number: number,
  eventHeadSha: string,
  settings: ReviewSettings,
): Promise<ReviewOutcome> {
  const change = await platform.getChangeRequest(number);
  const headSha = change.headSha;
  if (headSha !== eventHeadSha && (await settings.hasFinalCheck?.(headSha))) {
    return { kind: 'already-checked', currentHead: headSha };
  }

  await platform.setCheck(headSha, { state: 'pending', title: 'Checking manifests…' });
  const cross = settings.crossChange;
  const scope: TargetScope = {
    platform: platform.kind,
    project: platform.project,
    targetBranch: change.baseRef,
  };
  const [changedFiles, behind, resolved, others] = await Promise.all([
    platform.listChangedFiles(number),
    behindBy(platform, change.baseRef, headSha),
    resolveSettings(platform, settings, number, headSha),
    cross ? cross.store.listOthers(scope, number) : [],
  ]);
  const detail = await reviewTrees({
    target: { baseSha: change.baseSha, headSha, baseRef: change.baseRef, headRef: change.headRef },
    head: platform.openTree(headSha),
    base: platform.openTree(change.baseSha),
    changedFiles,
    branch: {
      sourceBranch: change.headRef,
      targetBranch: change.baseRef,
      ...(behind !== undefined ? { behindBy: behind } : {}),
    },
    ...resolved,
    otherChanges: others,
    changeLabel: labelFor(platform),
  });
  const { report } = detail;

  const latest = await platform.getChangeRequest(number);
  // A details page that cannot be kept never costs the verdict: the check goes out without the link.
  const detailsUrl = settings.publishDetails
    ? await settings.publishDetails(platform, number, headSha, report).catch(() => undefined)
    : undefined;
  const check: CheckResult = { ...finalCheck(report, changedFiles), ...(detailsUrl ? { detailsUrl } : {}) };
  if (latest.headSha !== headSha) {
    // Still record the verdict on this commit, but leave the comment to the newer head's job.
    await platform.setCheck(headSha, check);
    return { kind: 'superseded', headSha, currentHead: latest.headSha };
  }
  const body = formatComment(report, {
    linkTo: (file, line) => platform.fileUrl(headSha, file, line),
    ...(detailsUrl ? { detailsUrl } : {}),
  });
  const comment = await platform.upsertComment(number, REPORT_MARKER, body);
  await platform.setCheck(headSha, check);
  const discussions = await syncDiscussions(platform, number, headSha, report, changedFiles);
  const crossChange = cross
    ? await keepAndNotify(platform, cross, scope, number, headSha, detail)
    : undefined;
  return {
    kind: 'published',
    headSha,
    report,
    comment,
    ...(discussions ? { discussions } : {}),
    ...(crossChange ? { crossChange } : {}),
  };
}

/** A merge-queue group (GitHub merge_group): check and status only, there is no comment thread. */
export async function reviewCommitRange(
  platform: Platform,
  baseSha: string,
  headSha: string,
  settings: ReviewSettings,
): Promise<Report> {
  await platform.setCheck(headSha, { state: 'pending', title: 'Checking manifests…' });
  const changedFiles = await platform.listChangedFilesBetween(baseSha, headSha);
  const {
    readLocks,
    readOverrides: _overrides,
    crossChange: _crossChange,
    hasFinalCheck: _final,
    ...rest
  } = settings;
  const { report } = await reviewTrees({
    target: { baseSha, headSha },
    head: platform.openTree(headSha),
    base: platform.openTree(baseSha),
    changedFiles,
    ...rest,
    locks: (await readLocks?.(platform)) ?? [],
  });
  const { text: _diff, ...check } = finalCheck(report, changedFiles);
  await platform.setCheck(headSha, check);
  return report;
}
