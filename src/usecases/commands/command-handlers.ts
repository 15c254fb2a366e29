import type { ChatCommand, CommandName } from '../../core/chatops/parse-commands.ts';
import type { CommandContext, CommandHandler, CommandResult } from './command-context.ts';
import { runCancelCommand } from './run-cancel-command.ts';
import { runConfirmCommand } from './run-confirm-command.ts';
import { runDoctorCommand } from './run-doctor-command.ts';
import { runHelpCommand } from './run-help-command.ts';
import { runLockCommand } from './run-lock-command.ts';
import { runOverrideCommand } from './run-override-command.ts';
import { runRecheckCommand } from './run-recheck-command.ts';
import { runRollbackCommand } from './run-rollback-command.ts';
import { runUnlockCommand } from './run-unlock-command.ts';

/** One handler per chat-ops command; the type makes a new command without a handler a compile error. */
const COMMAND_HANDLERS: { [N in CommandName]: CommandHandler<N> } = {
  help: runHelpCommand,
  recheck: runRecheckCommand,
  override: runOverrideCommand,
  lock: runLockCommand,
  unlock: runUnlockCommand,
  rollback: runRollbackCommand,
  confirm: runConfirmCommand,
  doctor: runDoctorCommand,
  cancel: runCancelCommand,
};

/** Runs a permitted command with its handler. */
export function dispatchCommand(context: CommandContext, command: ChatCommand): Promise<CommandResult> {
  const handler = COMMAND_HANDLERS[command.name] as CommandHandler<typeof command.name>;
  return handler(context, command as never);
}
