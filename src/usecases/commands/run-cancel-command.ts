import { formatNote } from '../../core/chatops/format-replies.ts';
import { writeAudit } from '../command-deps.ts';
import type { CommandHandler } from './command-context.ts';

/** `/tollgate cancel`: drops the pending rollback plan (only its requester may). */
export const runCancelCommand: CommandHandler<'cancel'> = async ({
  deps,
  request,
  text,
  scope,
  done,
  refused,
}) => {
  const { platform, stores } = deps;
  const plan = await stores.plans.readPlan(scope, request.thread.number);
  if (!plan) return refused('no rollback plan awaits confirmation here');
  if (plan.requestedById !== request.author.id)
    return refused(`only @${plan.requestedBy}, who asked for it, can cancel this plan`);
  if (await stores.plans.takePlan(scope, plan)) {
    if (plan.mutexToken) await stores.mutex.release(scope, plan.environment, plan.mutexToken);
    if (plan.replyId !== undefined)
      await platform
        .editReply(
          request.thread,
          plan.replyId,
          formatNote(
            text,
            `~~Rollback plan for \`${plan.environment}\`~~ cancelled by @${request.author.login}. Nothing was changed.`,
          ),
        )
        .catch(() => undefined);
    await writeAudit(deps, request, {
      action: 'rollback',
      environment: plan.environment,
      outcome: 'cancelled',
      detail: 'plan cancelled before confirmation',
    });
  }
  await platform.reply(
    request.thread,
    formatNote(text, `Rollback plan for \`${plan.environment}\` cancelled. Nothing was changed.`),
  );
  return done();
};
