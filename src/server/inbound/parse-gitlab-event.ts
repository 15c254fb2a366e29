import type { CheckJobData } from '../../queue/check-job.ts';

/** What Tollgate does with a GitLab webhook: queue a check, or ignore it with a reason. */
export type GitLabEventDecision =
  | { action: 'check'; job: Omit<CheckJobData, 'deliveryId'> }
  | { action: 'ignore'; reason: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Validates a GitLab "Merge Request Hook" payload (as GitLab documents it) and decides:
 * `open` and `reopen` are checked; `update` only when new commits arrived (`oldrev` present) —
 * title, label or assignee edits are not; everything else is ignored.
 */
export function parseGitLabEvent(eventHeader: string | undefined, payload: unknown): GitLabEventDecision {
  if (eventHeader !== 'Merge Request Hook')
    return { action: 'ignore', reason: `event ${eventHeader ?? '(none)'} is not handled` };
  if (!isRecord(payload) || payload.object_kind !== 'merge_request') {
    return { action: 'ignore', reason: 'payload is not a merge_request event' };
  }
  const project = payload.project;
  const attributes = payload.object_attributes;
  if (!isRecord(project) || !isRecord(attributes))
    return { action: 'ignore', reason: 'payload lacks project or object_attributes' };
  const action = attributes.action;
  if (action !== 'open' && action !== 'reopen' && action !== 'update') {
    return { action: 'ignore', reason: `merge request action ${String(action)} is not checked` };
  }
  if (action === 'update' && !attributes.oldrev)
    return { action: 'ignore', reason: 'update without new commits (no oldrev)' };
  const lastCommit = attributes.last_commit;
  const headSha = isRecord(lastCommit) && typeof lastCommit.id === 'string' ? lastCommit.id : undefined;
  if (typeof project.id !== 'number' || typeof attributes.iid !== 'number' || !headSha) {
    return { action: 'ignore', reason: 'payload lacks project.id, object_attributes.iid or last_commit.id' };
  }
  return {
    action: 'check',
    job: {
      platform: 'gitlab',
      project:
        typeof project.path_with_namespace === 'string' ? project.path_with_namespace : String(project.id),
      projectId: project.id,
      number: attributes.iid,
      headSha,
      reason: `merge_request.${action}`,
    },
  };
}
