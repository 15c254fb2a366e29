import type { PushEvent } from '../usecases/handle-push.ts';
import type { PlatformKind } from '../usecases/ports/platform.ts';

/** Queue of branch-discipline jobs: `push` (one per push to a watched branch) and `reconcile`. */
export const BRANCH_QUEUE = 'tollgate-branch';
export const RECONCILE_SCHEDULER_ID = 'tollgate-reconcile';

/** A push to a watched branch, as the webhook saw it: ids and refs only, never tokens. */
export interface PushJobData extends PushEvent {
  platform: PlatformKind;
  project: string;
  projectId?: number;
  installationId?: number;
  deliveryId: string;
  reason: string;
}

export interface ReconcileJobData {
  /** Why this run started: `schedule` or `startup`. */
  trigger: string;
}

function safe(part: string | number): string {
  return String(part).replace(/[^A-Za-z0-9._/-]/g, '_');
}

/** One job per (platform, project, before, after): a redelivered push finds its job already there. */
export function pushJobId(data: Pick<PushJobData, 'platform' | 'project' | 'before' | 'after'>): string {
  return ['push', data.platform, safe(data.project), safe(data.before.slice(0, 12)), safe(data.after)].join(
    '.',
  );
}

/**
 * The server queues pushes to the repository's default branch and to `main` (the default protected
 * branch); the worker then compares with the configured protected branch.
 */
export function isWatchedBranch(branch: string, defaultBranch: string | undefined): boolean {
  return branch === 'main' || (defaultBranch !== undefined && branch === defaultBranch);
}
