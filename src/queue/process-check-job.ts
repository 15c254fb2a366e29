import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import type { Report } from '../core/report/report.ts';
import type { Platform } from '../usecases/ports/platform.ts';
import {
  type ReviewSettings,
  reviewCommitRange,
  reviewMergeRequest,
} from '../usecases/review-merge-request.ts';
import type { CheckJobData } from './check-job.ts';
import { classifyFailedJob, settleFailedJob } from './settle-failed-job.ts';

export type PlatformForJob = (data: CheckJobData) => Promise<Platform>;

/**
 * Wires a `check` job to the use case, and maps errors to queue outcomes in one place:
 * rate limits wait (without using up an attempt), transient errors retry with backoff, and a job
 * that fails for good leaves the check as an error with a readable reason — never pending.
 */
export interface CheckProcessorHooks {
  /** Hears of every report the job produced (metrics: `recordFindings`). */
  onReport?: (report: Report) => void;
  /** Queues a check of another merge request that newly collides with this job's one. */
  requestCrossChangeCheck?: (
    job: CheckJobData,
    number: number,
    headSha: string,
    reason: string,
  ) => Promise<void>;
  /**
   * Makes sure `headSha`, the head the merge request moved on to while this job reviewed an older
   * one, gets a check of its own (the newer event's job may have been lost or never sent).
   */
  requestCheckOfHead?: (job: CheckJobData, headSha: string) => Promise<void>;
  /** Remembers a head with a final verdict, so a late event for an older head changes nothing. */
  finalChecks?: {
    has(job: CheckJobData, headSha: string): Promise<boolean>;
    add(job: CheckJobData, headSha: string): Promise<void>;
  };
}

/** A check started by another merge request's conflict tells nobody in turn (no ping-pong). */
function settingsForJob(
  data: CheckJobData,
  settings: ReviewSettings,
  hooks: CheckProcessorHooks,
): ReviewSettings {
  const { crossChange } = settings;
  if (!crossChange) return settings;
  const request = hooks.requestCrossChangeCheck;
  const { notify: _notify, ...store } = crossChange;
  return {
    ...settings,
    crossChange:
      request && data.crossChangeOf === undefined
        ? { ...store, notify: (number, headSha, reason) => request(data, number, headSha, reason) }
        : store,
  };
}

export function createCheckProcessor(
  platformFor: PlatformForJob,
  logger: Logger,
  hooks: CheckProcessorHooks = {},
  settings: ReviewSettings,
) {
  return async (job: Job<CheckJobData>, token?: string): Promise<string> => {
    const log = logger.child({
      jobId: job.id,
      deliveryId: job.data.deliveryId,
      platform: job.data.platform,
      project: job.data.project,
      mr: job.data.number,
    });
    let platform: Platform | undefined;
    // The commit whose check this job opened last: a failure closes that one, never leaves it pending.
    let openedOn = job.data.headSha;
    try {
      const adapter = await platformFor(job.data);
      platform = {
        ...adapter,
        setCheck: (sha, result) => {
          openedOn = sha;
          return adapter.setCheck(sha, result);
        },
      };
      if (job.data.number === undefined) {
        const report = await reviewCommitRange(platform, job.data.baseSha!, job.data.headSha, settings);
        hooks.onReport?.(report);
        log.info({ verdict: report.verdict }, 'merge group checked');
        return report.verdict;
      }
      const { finalChecks } = hooks;
      const outcome = await reviewMergeRequest(platform, job.data.number, job.data.headSha, {
        ...settingsForJob(job.data, settings, hooks),
        // An explicit re-run (button, `/tollgate recheck`) reviews again even when the head has a verdict.
        ...(finalChecks && !job.data.rerun
          ? { hasFinalCheck: (sha: string) => finalChecks.has(job.data, sha) }
          : {}),
      });
      if (outcome.kind === 'already-checked') {
        log.info(
          { currentHead: outcome.currentHead },
          'late event for an older head; the current head is checked',
        );
        return 'already-checked';
      }
      await finalChecks?.add(job.data, outcome.headSha).catch(() => undefined);
      if (outcome.kind === 'superseded') {
        log.info(
          { headSha: outcome.headSha, currentHead: outcome.currentHead },
          'head moved on during the review; checking the new head next',
        );
        await hooks.requestCheckOfHead?.(job.data, outcome.currentHead);
        return 'superseded';
      }
      hooks.onReport?.(outcome.report);
      log.info(
        {
          headSha: outcome.headSha,
          verdict: outcome.report.verdict,
          comment: outcome.comment,
          findings: outcome.report.findings.length,
          ...(outcome.discussions ? { discussions: outcome.discussions } : {}),
          ...(outcome.crossChange ? { crossChange: outcome.crossChange } : {}),
        },
        'checked',
      );
      return outcome.report.verdict;
    } catch (error) {
      const outcome = classifyFailedJob(job, token, error, log, 'check');
      if (outcome.kind === 'fail') {
        if (platform) {
          await platform
            .setCheck(openedOn, {
              state: 'error',
              title: `Tollgate could not finish: ${outcome.reason}`.slice(0, 250),
            })
            .catch((statusError: unknown) =>
              log.error({ err: statusError }, 'could not record the failure on the commit'),
            );
        }
      }
      return settleFailedJob(job, token, outcome, error);
    }
  };
}
