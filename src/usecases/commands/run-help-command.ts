import { formatHelp } from '../../core/chatops/format-replies.ts';
import type { CommandHandler } from './command-context.ts';

/** `/tollgate help`: the commands the author may run here, the environments and their locks. */
export const runHelpCommand: CommandHandler<'help'> = async ({ deps, request, scope, roleOf, done }) => {
  const { platform, stores } = deps;
  const [role, environments, locks] = await Promise.all([
    roleOf().catch(() => 'none' as const),
    deps.settings?.environments ?? platform.listEnvironments().catch(() => []),
    stores.locks.readLocks(scope),
  ]);
  await platform.reply(
    request.thread,
    formatHelp({
      user: request.author.login,
      role,
      ...(deps.settings?.permissions ? { permissions: deps.settings.permissions } : {}),
      environments,
      locks,
      project: platform.project,
    }),
  );
  return done();
};
