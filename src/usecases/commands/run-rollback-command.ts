import { planRollback } from '../rollback/plan-rollback.ts';
import type { CommandHandler } from './command-context.ts';

/** `/tollgate rollback ENV [to REF] [--dry-run]`: plans a rollback that waits for confirmation. */
export const runRollbackCommand: CommandHandler<'rollback'> = async (
  { deps, request, text, done },
  command,
) => {
  const outcome = await planRollback(deps, request, text, command);
  if (outcome.kind === 'refused') return { command: text, outcome: 'refused', detail: outcome.reason };
  if (outcome.kind === 'failed') return { command: text, outcome: 'failed', detail: outcome.reason };
  return done(outcome.kind);
};
