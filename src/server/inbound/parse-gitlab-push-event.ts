import { isWatchedBranch, type PushJobData } from '../../queue/branch-job.ts';
import { ZERO_SHA } from '../../usecases/ports/branch-platform.ts';

export type GitLabPushDecision =
  | { action: 'push'; job: Omit<PushJobData, 'deliveryId'> }
  | { action: 'ignore'; reason: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Validates a GitLab "Push Hook" payload (as GitLab documents it). Pushes to the default branch or
 * `main` are queued; tags and other branches are ignored. GitLab does not say whether a push was
 * forced: `forced` stays undefined and the worker asks whether `before` is an ancestor of `after`.
 */
export function parseGitLabPushEvent(eventHeader: string | undefined, payload: unknown): GitLabPushDecision {
  if (eventHeader !== 'Push Hook')
    return { action: 'ignore', reason: `event ${eventHeader ?? '(none)'} is not a push` };
  if (!isRecord(payload) || payload.object_kind !== 'push')
    return { action: 'ignore', reason: 'payload is not a push event' };
  const { ref, before, after, project } = payload;
  if (typeof ref !== 'string' || !ref.startsWith('refs/heads/'))
    return { action: 'ignore', reason: 'push is not to a branch' };
  if (
    typeof before !== 'string' ||
    typeof after !== 'string' ||
    !isRecord(project) ||
    typeof project.id !== 'number'
  )
    return { action: 'ignore', reason: 'payload lacks before, after or project.id' };
  const branch = ref.slice('refs/heads/'.length);
  const defaultBranch = typeof project.default_branch === 'string' ? project.default_branch : undefined;
  if (!isWatchedBranch(branch, defaultBranch))
    return { action: 'ignore', reason: `branch ${branch} is not watched` };
  const pusher =
    typeof payload.user_username === 'string'
      ? payload.user_username
      : typeof payload.user_name === 'string'
        ? payload.user_name
        : 'someone';
  return {
    action: 'push',
    job: {
      platform: 'gitlab',
      project:
        typeof project.path_with_namespace === 'string' ? project.path_with_namespace : String(project.id),
      projectId: project.id,
      branch,
      before,
      after,
      created: before === ZERO_SHA,
      deleted: after === ZERO_SHA,
      pusher,
      reason: 'push',
    },
  };
}
