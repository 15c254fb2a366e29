import type { Role } from '../../core/chatops/decide-permission.ts';
import { formatRefusal } from '../../core/chatops/format-replies.ts';
import type { ChatCommand, CommandName } from '../../core/chatops/parse-commands.ts';
import { type CommandDeps, type CommandRequest, scopeOf } from '../command-deps.ts';
import type { ProjectScope } from '../ports/project-scope.ts';

export type CommandResult = {
  command: string;
  outcome: 'usage-error' | 'refused' | 'done' | 'failed';
  detail?: string;
};

/** What every command handler gets: the comment, its author's role (read once), and the reply helpers. */
export interface CommandContext {
  deps: CommandDeps;
  request: CommandRequest;
  /** The command line as written, e.g. `/tollgate lock production freeze`. */
  text: string;
  scope: ProjectScope;
  roleOf: () => Promise<Role>;
  done(detail?: string): CommandResult;
  /** Replies why the command changed nothing (and what would be allowed). */
  refused(reason: string, allowed?: string): Promise<CommandResult>;
  /** A refusal when the comment is not on a merge request; undefined when it is. */
  needsMergeRequest(): Promise<CommandResult | undefined>;
}

/** One chat-ops command: `/tollgate NAME ...` after parsing and the permission check. */
export type CommandHandler<N extends CommandName> = (
  context: CommandContext,
  command: Extract<ChatCommand, { name: N }>,
) => Promise<CommandResult>;

export function createCommandContext(
  deps: CommandDeps,
  request: CommandRequest,
  text: string,
  roleOf: () => Promise<Role>,
): CommandContext {
  const refused = async (reason: string, allowed?: string): Promise<CommandResult> => {
    await deps.platform.reply(request.thread, formatRefusal(text, reason, allowed));
    return { command: text, outcome: 'refused', detail: reason };
  };
  return {
    deps,
    request,
    text,
    scope: scopeOf(deps),
    roleOf,
    done: (detail) => ({ command: text, outcome: 'done', ...(detail ? { detail } : {}) }),
    refused,
    needsMergeRequest: async () =>
      request.thread.kind === 'merge_request'
        ? undefined
        : refused('this command works on merge requests only'),
  };
}
