import { writeAudit } from '../command-deps.ts';
import type { CommandContext, CommandResult } from './command-context.ts';

/** Lock and unlock hold the environment's mutex only this long: just enough to not race a rollback. */
const LOCK_HOLD_MS = 15_000;

/**
 * Runs `act` while holding the environment's mutex, so a lock or unlock never races a rollback;
 * refuses (and audits the refusal) when a rollback or another lock holds it.
 */
export async function holdEnvironmentMutex(
  context: CommandContext,
  action: 'lock' | 'unlock',
  environment: string,
  act: () => Promise<CommandResult>,
): Promise<CommandResult> {
  const { deps, request, scope } = context;
  const hold = await deps.stores.mutex.acquire(
    scope,
    environment,
    `${action} by @${request.author.login}`,
    LOCK_HOLD_MS,
  );
  if (!hold.acquired) {
    const reason = `a rollback or lock of \`${environment}\` is in progress (${hold.heldBy})`;
    await writeAudit(deps, request, { action, environment, outcome: 'refused', detail: reason });
    return context.refused(reason, 'Try again when it has finished.');
  }
  try {
    return await act();
  } finally {
    await deps.stores.mutex.release(scope, environment, hold.token);
  }
}
