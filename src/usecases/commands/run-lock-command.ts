import { formatNote } from '../../core/chatops/format-replies.ts';
import { nowOf, writeAudit } from '../command-deps.ts';
import type { CommandHandler } from './command-context.ts';
import { holdEnvironmentMutex } from './hold-environment-mutex.ts';

/** `/tollgate lock ENV [reason]`: freezes an environment; merges that touch it fail the check. */
export const runLockCommand: CommandHandler<'lock'> = async (context, command) => {
  const { deps, request, text, scope, done, refused } = context;
  const env = command.environment;
  const known = deps.settings?.environments ?? (await deps.platform.listEnvironments());
  if (known.length > 0 && !known.includes(env))
    return refused(
      `this repository has no environment \`${env}\``,
      `Known environments: ${known.map((e) => `\`${e}\``).join(', ')}.`,
    );
  return holdEnvironmentMutex(context, 'lock', env, async () => {
    const existing = await deps.stores.locks.getLock(scope, env);
    if (existing)
      return refused(
        `\`${env}\` is locked already, by @${existing.lockedBy} since ${existing.lockedAt}${existing.reason ? ` (${existing.reason})` : ''}`,
        `Unlock it first with \`/tollgate unlock ${env}\` to lock it again with another reason.`,
      );
    await deps.stores.locks.setLock(scope, {
      environment: env,
      lockedBy: request.author.login,
      lockedAt: nowOf(deps).toISOString(),
      ...(command.reason ? { reason: command.reason } : {}),
      ...(request.comment.url ? { source: request.comment.url } : {}),
    });
    await writeAudit(deps, request, {
      action: 'lock',
      environment: env,
      outcome: 'done',
      detail: command.reason ?? 'no reason given',
    });
    await deps.platform.reply(
      request.thread,
      formatNote(
        text,
        `🔒 \`${env}\` is locked by @${request.author.login}${command.reason ? `: ${command.reason}` : ''}. Merges that touch it fail the Tollgate check until \`/tollgate unlock ${env}\`.`,
      ),
    );
    return done();
  });
};
