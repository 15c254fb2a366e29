import { mentionsCommand } from '../../core/chatops/parse-commands.ts';
import type { CommandJobData } from '../../queue/command-job.ts';

export type CommentEventDecision =
  | { action: 'command'; job: Omit<CommandJobData, 'deliveryId'> }
  | { action: 'ignore'; reason: string };

interface GitHubCommentPayload {
  action?: string;
  comment?: {
    id: number;
    body?: string | null;
    html_url?: string;
    user?: { login: string; id: number; type?: string } | null;
  };
  issue?: { number: number; pull_request?: unknown };
  repository?: { full_name: string; default_branch?: string };
  installation?: { id: number };
  sender?: { login: string; id: number; type?: string };
}

/**
 * An `issue_comment` webhook (pull request comments arrive as issue comments): only new comments
 * by people that contain a command line become a job. Edits and deletions never run a command.
 */
export function parseGitHubCommentEvent(payload: unknown): CommentEventDecision {
  const p = payload as GitHubCommentPayload;
  if (p.action !== 'created')
    return { action: 'ignore', reason: `comment ${String(p.action)} does not run commands` };
  const { comment, issue, repository } = p;
  if (!comment || !issue || !repository)
    return { action: 'ignore', reason: 'payload lacks comment, issue or repository' };
  if (p.sender?.type === 'Bot' || comment.user?.type === 'Bot')
    return { action: 'ignore', reason: 'comments by bots do not run commands' };
  const body = comment.body ?? '';
  if (!mentionsCommand(body)) return { action: 'ignore', reason: 'no command in the comment' };
  const author = comment.user ?? p.sender;
  if (!author) return { action: 'ignore', reason: 'comment has no author' };
  return {
    action: 'command',
    job: {
      platform: 'github',
      project: repository.full_name,
      ...(p.installation ? { installationId: p.installation.id } : {}),
      thread: { number: issue.number, kind: issue.pull_request ? 'merge_request' : 'issue' },
      comment: { id: comment.id, body, ...(comment.html_url ? { url: comment.html_url } : {}) },
      author: { login: author.login, id: author.id },
      defaultBranch: repository.default_branch ?? 'main',
    },
  };
}
