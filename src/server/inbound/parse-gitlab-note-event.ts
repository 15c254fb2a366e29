import { isGitLabBotUsername } from '../../adapters/gitlab/create-gitlab-command-platform.ts';
import { mentionsCommand } from '../../core/chatops/parse-commands.ts';
import type { CommentEventDecision } from './parse-github-comment-event.ts';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const THREADS = { MergeRequest: 'merge_request', Issue: 'issue' } as const;

/**
 * A GitLab "Note Hook" (comment) on a merge request or issue, as GitLab documents it. Only new
 * notes (`action: create`, or no action on GitLab before 16.11, which sent no edits) by people,
 * not system notes, that contain a command line become a job.
 */
export function parseGitLabNoteEvent(payload: unknown): CommentEventDecision {
  if (!isRecord(payload) || payload.object_kind !== 'note')
    return { action: 'ignore', reason: 'payload is not a note event' };
  const { user, project, object_attributes: note } = payload;
  if (!isRecord(user) || !isRecord(project) || !isRecord(note))
    return { action: 'ignore', reason: 'payload lacks user, project or object_attributes' };
  if (note.action !== undefined && note.action !== 'create')
    return { action: 'ignore', reason: `note ${String(note.action)} does not run commands` };
  if (note.system === true) return { action: 'ignore', reason: 'system notes do not run commands' };
  const kind = THREADS[String(note.noteable_type) as keyof typeof THREADS];
  if (!kind)
    return { action: 'ignore', reason: `notes on ${String(note.noteable_type)} do not run commands` };
  const target = kind === 'merge_request' ? payload.merge_request : payload.issue;
  if (typeof user.username !== 'string' || typeof user.id !== 'number')
    return { action: 'ignore', reason: 'note has no author' };
  if (user.bot === true || isGitLabBotUsername(user.username))
    return { action: 'ignore', reason: 'comments by bots do not run commands' };
  const body = typeof note.note === 'string' ? note.note : '';
  if (!mentionsCommand(body)) return { action: 'ignore', reason: 'no command in the comment' };
  if (
    !isRecord(target) ||
    typeof target.iid !== 'number' ||
    typeof note.id !== 'number' ||
    typeof project.id !== 'number'
  )
    return {
      action: 'ignore',
      reason: 'payload lacks the note id, project id or the merge request/issue iid',
    };
  return {
    action: 'command',
    job: {
      platform: 'gitlab',
      project:
        typeof project.path_with_namespace === 'string' ? project.path_with_namespace : String(project.id),
      projectId: project.id,
      thread: { number: target.iid, kind },
      comment: { id: note.id, body, ...(typeof note.url === 'string' ? { url: note.url } : {}) },
      author: { login: user.username, id: user.id },
      defaultBranch: typeof project.default_branch === 'string' ? project.default_branch : 'main',
    },
  };
}
