import { formatNote } from '../../core/chatops/format-replies.ts';
import { writeAudit } from '../command-deps.ts';
import type { CommandHandler } from './command-context.ts';
import { holdEnvironmentMutex } from './hold-environment-mutex.ts';

/** `/tollgate unlock ENV`: lifts a lock. */
export const runUnlockCommand: CommandHandler<'unlock'> = async (context, command) => {
  const { deps, request, text, scope, done, refused } = context;
  const env = command.environment;
  return holdEnvironmentMutex(context, 'unlock', env, async () => {
    const existing = await deps.stores.locks.getLock(scope, env);
    if (!existing) return refused(`\`${env}\` is not locked`);
    await deps.stores.locks.removeLock(scope, env);
    await writeAudit(deps, request, {
      action: 'unlock',
      environment: env,
      outcome: 'done',
      detail: `lifted lock by @${existing.lockedBy}`,
    });
    await deps.platform.reply(
      request.thread,
      formatNote(text, `🔓 \`${env}\` is unlocked (it was locked by @${existing.lockedBy}).`),
    );
    return done();
  });
};
