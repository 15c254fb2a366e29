import type { PlatformKind } from '../usecases/ports/platform.ts';

export const CHECK_QUEUE = 'tollgate-check';

/**
 * What a `check` job carries: ids only, never tokens or file contents (job data sits in Redis and
 * shows in the dashboard). The worker re-reads everything through the platform API.
 */
export interface CheckJobData {
  platform: PlatformKind;
  /** `owner/repo` or GitLab `group/project`. */
  project: string;
  /** GitLab numeric project id (GitHub: unused). */
  projectId?: number;
  /** GitHub App installation that receives the event. */
  installationId?: number;
  /** Pull/merge request number; absent for a merge-queue group. */
  number?: number;
  headSha: string;
  /** Merge queue (GitHub merge_group): the base to compare against. */
  baseSha?: string;
  /** Delivery that caused the job, for the logs. */
  deliveryId: string;
  reason: string;
  /** An explicit re-run (check "Re-run" button, `/tollgate recheck`): a new job even for a checked SHA. */
  rerun?: boolean;
  /** Queued because merge request N newly collides with this one: this check tells nobody else. */
  crossChangeOf?: number;
}

/** BullMQ job ids may not contain ':'. */
function safe(part: string | number): string {
  return String(part).replace(/[^A-Za-z0-9._/-]/g, '_');
}

/** One job per (platform, project, change, head SHA): a redelivered webhook finds the job already there. */
export function checkJobId(
  data: Pick<CheckJobData, 'platform' | 'project' | 'number' | 'headSha' | 'rerun' | 'deliveryId'>,
): string {
  const id = ['check', data.platform, safe(data.project), data.number ?? 'mq', safe(data.headSha)];
  if (data.rerun) id.push('rerun', safe(data.deliveryId));
  return id.join('.');
}

/** Debounce key: rapid pushes to one change request replace the job still waiting. */
export function changeRequestKey(
  data: Pick<CheckJobData, 'platform' | 'project' | 'number' | 'headSha'>,
): string {
  return ['mr', data.platform, safe(data.project), data.number ?? safe(data.headSha)].join('.');
}
