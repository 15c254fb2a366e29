import type { Job, Queue } from 'bullmq';
import type { Logger } from 'pino';
import { handlePush } from '../usecases/handle-push.ts';
import type { BranchPlatform } from '../usecases/ports/branch-platform.ts';
import type { EnvironmentRenderer } from '../usecases/ports/environment-renderer.ts';
import {
  type ReconcileDeps,
  type ReconcileSummary,
  reconcileOpenChangeRequests,
} from '../usecases/reconcile-open-change-requests.ts';
import type { PushJobData, ReconcileJobData } from './branch-job.ts';
import { classifyFailedJob, settleFailedJob } from './settle-failed-job.ts';

export interface BranchProcessorDeps {
  platformFor: (data: PushJobData) => Promise<BranchPlatform>;
  /** Renders the environments a push changed (src/adapters/render in production). */
  render: EnvironmentRenderer;
  /** The protected branch of a repository (from `.tollgate.yml` once the lead wires it; default `main`). */
  protectedBranchFor?: (platform: BranchPlatform) => Promise<string>;
  /** Everything the reconciler needs except the run id. */
  reconcile?: Omit<ReconcileDeps, 'runId'>;
  logger: Logger;
}

/**
 * Runs the branch queue's jobs: `push` (bypass detection) and `reconcile` (nothing lost).
 * Errors map to queue outcomes like the check processor's: a rate limit waits, transient errors
 * retry with backoff, permanent errors fail at once.
 */
export function createBranchProcessor(deps: BranchProcessorDeps) {
  return async (job: Job<PushJobData | ReconcileJobData>, token?: string): Promise<unknown> => {
    const log = deps.logger.child({ jobId: job.id, job: job.name });
    try {
      if (job.name === 'reconcile') {
        if (!deps.reconcile) return 'reconciler not configured';
        const summary: ReconcileSummary = await reconcileOpenChangeRequests({
          ...deps.reconcile,
          runId: `${Date.now().toString(36)}${String(job.id ?? '')
            .replace(/[^A-Za-z0-9]/g, '')
            .slice(-8)}`,
        });
        log.info({ ...summary, errors: summary.errors.length }, 'reconciled open change requests');
        for (const e of summary.errors) log.warn({ project: e.project }, `reconcile: ${e.message}`);
        return summary;
      }
      const data = job.data as PushJobData;
      const platform = await deps.platformFor(data);
      const protectedBranch = deps.protectedBranchFor ? await deps.protectedBranchFor(platform) : 'main';
      const outcome = await handlePush(platform, data, { protectedBranch, render: deps.render });
      log.info(
        {
          deliveryId: data.deliveryId,
          project: data.project,
          outcome: outcome.kind,
          ...(outcome.kind === 'bypass' ? { bypass: outcome.bypass, issue: outcome.issue.outcome } : {}),
        },
        'push handled',
      );
      return outcome.kind === 'bypass' ? outcome.bypass : outcome.kind;
    } catch (error) {
      const outcome = classifyFailedJob(job, token, error, log, 'branch job');
      return settleFailedJob(job, token, outcome, error);
    }
  };
}

/**
 * The reconciler runs every `everyMs` (one scheduler, however many workers call this) and once now
 * (one job id per trigger: workers that start, or see Redis return, at the same time share it).
 */
export async function scheduleReconciler(
  queue: Queue<ReconcileJobData>,
  everyMs: number,
  schedulerId: string,
  trigger: 'startup' | 'reconnect' | 'data-lost' = 'startup',
): Promise<void> {
  await queue.upsertJobScheduler(
    schedulerId,
    { every: everyMs },
    {
      name: 'reconcile',
      data: { trigger: 'schedule' },
      opts: { removeOnComplete: { count: 50 }, removeOnFail: { count: 50 }, attempts: 1 },
    },
  );
  await queue.add(
    'reconcile',
    { trigger },
    { jobId: `reconcile.${trigger}`, removeOnComplete: true, removeOnFail: true, attempts: 1 },
  );
}
