import { decidePermission, type Role } from '../core/chatops/decide-permission.ts';
import { formatNote, formatRefusal, formatUsageError } from '../core/chatops/format-replies.ts';
import { type ParsedCommand, parseCommands } from '../core/chatops/parse-commands.ts';
import { type CommandDeps, type CommandRequest, nowOf, scopeOf, writeAudit } from './command-deps.ts';
import { type CommandResult, createCommandContext } from './commands/command-context.ts';
import { dispatchCommand } from './commands/command-handlers.ts';
import { runConfirmedPlan } from './rollback/execute-rollback.ts';

export type { CommandResult };

/**
 * The shared runner of chat-ops commands (one handler per command in ./commands/): runs every
 * command of one comment, in order: parses it, marks the comment as taken (👀), checks the author's
 * permission per command through the platform, audits a refusal, hands the command to its handler,
 * and replies when the handler fails. A refusal says why and what would be allowed, and changes
 * nothing.
 */
export async function runCommands(deps: CommandDeps, request: CommandRequest): Promise<CommandResult[]> {
  const parsed = parseCommands(request.comment.body);
  if (parsed.length === 0 || (await deps.platform.isBot(request.author))) return [];
  // The 👀 only tells people the bot took the comment; failing to add it must not stop the command.
  await deps.platform.addReaction(request.thread, request.comment.id, 'eyes').catch(() => undefined);
  let role: Promise<Role> | undefined;
  const roleOf = () => {
    role ??= deps.platform.getRole(request.author);
    return role;
  };
  const results: CommandResult[] = [];
  for (const line of parsed) {
    // A plan is confirmed once it has been read: never by the comment that asked for it.
    if (line.ok && line.command.name === 'confirm' && results.some((r) => r.detail === 'planned')) {
      const reason =
        'a rollback plan is confirmed after it has been read; confirm it in a new comment (or react 👍 to the plan)';
      await deps.platform.reply(request.thread, formatRefusal(line.text, reason));
      results.push({ command: line.text, outcome: 'refused', detail: reason });
      continue;
    }
    results.push(await runOne(deps, request, line, roleOf));
  }
  return results;
}

async function runOne(
  deps: CommandDeps,
  request: CommandRequest,
  line: ParsedCommand,
  roleOf: () => Promise<Role>,
): Promise<CommandResult> {
  const { platform } = deps;
  if (!line.ok) {
    await platform.reply(request.thread, formatUsageError(line.text, line.error, line.usage));
    return { command: line.text, outcome: 'usage-error', detail: line.error };
  }
  const { command } = line;
  const role = command.name === 'help' ? 'none' : await roleOf();
  const decision = decidePermission(command.name, role, deps.settings?.permissions);
  if (!decision.allowed) {
    await platform.reply(
      request.thread,
      formatRefusal(line.text, decision.reason, 'Run `/tollgate help` to see the commands you may run here.'),
    );
    if (command.name !== 'confirm' && command.name !== 'help')
      await writeAudit(deps, request, {
        action: command.name,
        ...('environment' in command ? { environment: command.environment } : {}),
        outcome: 'refused',
        detail: decision.reason,
      });
    return { command: line.text, outcome: 'refused', detail: decision.reason };
  }
  try {
    return await dispatchCommand(createCommandContext(deps, request, line.text, roleOf), command);
  } catch (error) {
    const message = (error as Error).message;
    await platform
      .reply(request.thread, formatNote(line.text, `❌ \`${line.text}\` failed: ${message}.`))
      .catch(() => undefined);
    return { command: line.text, outcome: 'failed', detail: message };
  }
}

export type ReactionPollOutcome = 'executed' | 'waiting' | 'gone' | 'refused';

/**
 * The 👍 path of confirmation. GitHub sends no webhook for reactions, so the worker polls the plan
 * comment every few seconds while the plan lives; a 👍 by the requester counts as `/tollgate confirm`.
 */
export async function pollReactionConfirmation(
  deps: CommandDeps,
  request: Omit<CommandRequest, 'comment'> & { comment?: CommandRequest['comment'] },
): Promise<ReactionPollOutcome> {
  const scope = scopeOf(deps);
  const plan = await deps.stores.plans.readPlan(scope, request.thread.number);
  if (!plan || plan.replyId === undefined || new Date(plan.expiresAt).getTime() < nowOf(deps).getTime())
    return 'gone';
  const requester = { login: plan.requestedBy, id: plan.requestedById };
  if (typeof requester.id !== 'number') return 'gone'; // a plan stored before ids were kept
  if (!(await deps.platform.hasThumbsUp(request.thread, plan.replyId, requester))) return 'waiting';
  // The 👍 stands for `/tollgate confirm`: the requester must still hold the role it needs now.
  const decision = decidePermission(
    'confirm',
    await deps.platform.getRole(requester),
    deps.settings?.permissions,
  );
  if (!decision.allowed) {
    await deps.platform
      .reply(request.thread, formatRefusal('👍 on the rollback plan', decision.reason))
      .catch(() => undefined);
    return 'refused';
  }
  const asRequester: CommandRequest = {
    ...request,
    author: requester,
    comment: request.comment ?? { id: plan.replyId, body: '' },
  };
  const outcome = await runConfirmedPlan(deps, asRequester, plan, '👍 on the rollback plan');
  return outcome.kind === 'executed' ? 'executed' : 'gone';
}
