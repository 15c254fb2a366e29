import { confirmRollback } from '../rollback/execute-rollback.ts';
import type { CommandHandler } from './command-context.ts';

/** `/tollgate confirm`: runs the pending rollback plan of its requester. */
export const runConfirmCommand: CommandHandler<'confirm'> = async ({ deps, request, text }) => {
  const outcome = await confirmRollback(deps, request, text);
  if (outcome.kind !== 'executed') return { command: text, outcome: 'refused', detail: outcome.kind };
  const failed = outcome.steps.some((s) => s.state === 'failed');
  return {
    command: text,
    outcome: failed ? 'failed' : 'done',
    detail: outcome.steps.map((s) => `${s.strategy}:${s.state}`).join(','),
  };
};
