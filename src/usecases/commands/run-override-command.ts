import { formatNote } from '../../core/chatops/format-replies.ts';
import { nowOf, writeAudit } from '../command-deps.ts';
import type { CommandHandler } from './command-context.ts';

/** `/tollgate override CHECK reason`: the check's blocking findings at this head stop blocking. */
export const runOverrideCommand: CommandHandler<'override'> = async (context, command) => {
  const { deps, request, text, scope, done } = context;
  const notMr = await context.needsMergeRequest();
  if (notMr) return notMr;
  const change = await deps.platform.getChangeRequest(request.thread.number);
  await deps.stores.overrides.addOverride(scope, request.thread.number, {
    check: command.check,
    headSha: change.headSha,
    by: request.author.login,
    reason: command.reason,
    at: nowOf(deps).toISOString(),
    ...(request.comment.url ? { source: request.comment.url } : {}),
  });
  await writeAudit(deps, request, {
    action: 'override',
    outcome: 'done',
    detail: `override of ${command.check} at ${change.headSha}: ${command.reason}`,
  });
  await deps.requestRecheck(request.thread.number, change.headSha, `override by @${request.author.login}`);
  await deps.platform.reply(
    request.thread,
    formatNote(
      text,
      `📝 Override of \`${command.check}\` recorded for \`${change.headSha.slice(0, 12)}\` by @${request.author.login}: ${command.reason}\nThe check runs again now; a new push needs a new override.`,
    ),
  );
  return done();
};
