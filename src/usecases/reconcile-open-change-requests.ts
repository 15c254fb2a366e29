import type { BranchPlatform } from './ports/branch-platform.ts';
import type { PlatformKind } from './ports/platform.ts';
import { RateLimitedError } from './ports/platform-errors.ts';

/** One repository (GitHub, through an App installation) or project (GitLab) to reconcile. */
export interface ReconcileTarget {
  platform: PlatformKind;
  project: string;
  projectId?: number;
  installationId?: number;
}

/** What the reconciler asks to be queued: the shape of a check job. */
export interface RecheckRequest extends ReconcileTarget {
  number: number;
  headSha: string;
  deliveryId: string;
  reason: string;
}

export type RecheckOutcome = 'queued' | 'retried' | 'duplicate-delivery' | 'duplicate-job';

export interface ReconcileDeps {
  listTargets(): Promise<ReconcileTarget[]>;
  platformFor(target: ReconcileTarget): Promise<BranchPlatform>;
  /** Queues a check with the check job's id, so an existing job is never doubled. */
  requeue(request: RecheckRequest): Promise<RecheckOutcome>;
  /** Remembers head SHAs whose check is final, so later runs skip them without an API call. */
  finalChecks?: { has(key: string): Promise<boolean>; add(key: string): Promise<void> };
  /** Forgets state kept for change requests that are no longer open (cross-MR route objects). */
  retainOpen?: (target: ReconcileTarget, openNumbers: number[]) => Promise<unknown>;
  /** Unique per run; part of the delivery id so a new run is not taken for a redelivery. */
  runId: string;
}

export interface ReconcileSummary {
  targets: number;
  open: number;
  final: number;
  queued: number;
  alreadyQueued: number;
  errors: { project: string; message: string }[];
  /** The platform's rate limit stopped the run; the next run continues. */
  rateLimited: boolean;
}

/**
 * Nothing lost: lists the open change requests of every target and re-queues each whose head has
 * no final `tollgate` verdict (never set, pending for good, cancelled) — e.g. because its webhook
 * arrived while Redis was down. One target's failure does not stop the others; a rate limit does.
 */
export async function reconcileOpenChangeRequests(deps: ReconcileDeps): Promise<ReconcileSummary> {
  const summary: ReconcileSummary = {
    targets: 0,
    open: 0,
    final: 0,
    queued: 0,
    alreadyQueued: 0,
    errors: [],
    rateLimited: false,
  };
  const targets = await deps.listTargets();
  summary.targets = targets.length;
  for (const target of targets) {
    try {
      const platform = await deps.platformFor(target);
      const open = await platform.listOpenChangeRequests();
      summary.open += open.length;
      await deps.retainOpen?.(
        target,
        open.map((c) => c.number),
      );
      for (const change of open) {
        const key = `${target.platform}:${target.project}:${change.headSha}`;
        if (await deps.finalChecks?.has(key)) {
          summary.final++;
          continue;
        }
        const state = await platform.getCheckState(change.headSha);
        if (state === 'success' || state === 'failure') {
          summary.final++;
          await deps.finalChecks?.add(key);
          continue;
        }
        const outcome = await deps.requeue({
          ...target,
          number: change.number,
          headSha: change.headSha,
          deliveryId: `reconcile-${deps.runId}-${change.number}`,
          reason: `reconcile (check ${state ?? 'missing'})`,
        });
        if (outcome === 'queued' || outcome === 'retried') summary.queued++;
        else summary.alreadyQueued++;
      }
    } catch (error) {
      if (error instanceof RateLimitedError) {
        summary.rateLimited = true;
        summary.errors.push({ project: target.project, message: error.message });
        break;
      }
      summary.errors.push({ project: target.project, message: (error as Error).message });
    }
  }
  return summary;
}
