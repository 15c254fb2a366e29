import { formatNote } from '../../core/chatops/format-replies.ts';
import { writeAudit } from '../command-deps.ts';
import type { CommandHandler } from './command-context.ts';

/** `/tollgate recheck`: queues a fresh check of the merge request's head. */
export const runRecheckCommand: CommandHandler<'recheck'> = async (context) => {
  const { deps, request, text, done, refused } = context;
  const notMr = await context.needsMergeRequest();
  if (notMr) return notMr;
  const change = await deps.platform.getChangeRequest(request.thread.number);
  if (change.state !== 'open') return refused(`this merge request is ${change.state}`);
  await deps.requestRecheck(request.thread.number, change.headSha, `recheck by @${request.author.login}`);
  await deps.platform.reply(
    request.thread,
    formatNote(text, `🔁 Re-running the checks on \`${change.headSha.slice(0, 12)}\`.`),
  );
  await writeAudit(deps, request, {
    action: 'recheck',
    outcome: 'done',
    detail: `recheck of ${change.headSha}`,
  });
  return done(change.headSha);
};
