import type { CommandThread, CommandUser } from '../usecases/ports/command-platform.ts';
import type { PlatformKind } from '../usecases/ports/platform.ts';

export const COMMAND_QUEUE = 'tollgate-command';

/** A comment that holds slash commands. Job data sits in Redis: no tokens, only what the comment said. */
export interface CommandJobData {
  platform: PlatformKind;
  project: string;
  projectId?: number;
  installationId?: number;
  thread: CommandThread;
  comment: { id: number; body: string; url?: string };
  author: CommandUser;
  defaultBranch: string;
  deliveryId: string;
}

/** Polls a rollback plan's comment for the requester's 👍 (GitHub sends no reaction webhooks). */
export type ConfirmPollJobData = Omit<CommandJobData, 'comment'> & { expiresAt: string; attempt: number };

function safe(part: string | number): string {
  return String(part).replace(/[^A-Za-z0-9._/-]/g, '_');
}

/** One job per comment: a redelivered webhook finds it already there. */
export function commandJobId(data: Pick<CommandJobData, 'platform' | 'project' | 'comment'>): string {
  return ['command', data.platform, safe(data.project), data.comment.id].join('.');
}

/** Redis key that marks a comment as taken, so a redelivery never runs its commands twice. */
export function commentSeenKey(
  data: Pick<CommandJobData, 'platform' | 'project' | 'comment'>,
  prefix = 'tollgate',
): string {
  return [prefix, 'comment', data.platform, data.project, data.comment.id].join(':');
}
