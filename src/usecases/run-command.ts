import { formatDoctorMarkdown } from '../core/branch/format-doctor-report.ts';
import { decidePermission, type Role } from '../core/chatops/decide-permission.ts';
import { formatHelp, formatNote, formatRefusal, formatUsageError } from '../core/chatops/format-replies.ts';
import { type ChatCommand, type ParsedCommand, parseCommands } from '../core/chatops/parse-commands.ts';
import { type CommandDeps, type CommandRequest, nowOf, scopeOf, writeAudit } from './command-deps.ts';
import { confirmRollback, runConfirmedPlan } from './rollback/execute-rollback.ts';
import { planRollback } from './rollback/plan-rollback.ts';
import { runDoctor } from './run-doctor.ts';

export type CommandResult = {
  command: string;
  outcome: 'usage-error' | 'refused' | 'done' | 'failed';
  detail?: string;
};

/** Lock and unlock hold the environment's mutex only this long: just enough to not race a rollback. */
const LOCK_HOLD_MS = 15_000;

/**
 * Runs every command of one comment, in order: marks the comment as taken (👀), checks the author's
 * permission per command through the platform, acts, and replies. A refusal says why and what
 * would be allowed, and changes nothing.
 */
export async function runCommands(deps: CommandDeps, request: CommandRequest): Promise<CommandResult[]> {
  const parsed = parseCommands(request.comment.body);
  if (parsed.length === 0 || (await deps.platform.isBot(request.author))) return [];
  // The 👀 only tells people the bot took the comment; failing to add it must not stop the command.
  await deps.platform.addReaction(request.thread, request.comment.id, 'eyes').catch(() => undefined);
  let role: Promise<Role> | undefined;
  const roleOf = () => {
    role ??= deps.platform.getRole(request.author);
    return role;
  };
  const results: CommandResult[] = [];
  for (const line of parsed) {
    // A plan is confirmed once it has been read: never by the comment that asked for it.
    if (line.ok && line.command.name === 'confirm' && results.some((r) => r.detail === 'planned')) {
      const reason =
        'a rollback plan is confirmed after it has been read; confirm it in a new comment (or react 👍 to the plan)';
      await deps.platform.reply(request.thread, formatRefusal(line.text, reason));
      results.push({ command: line.text, outcome: 'refused', detail: reason });
      continue;
    }
    results.push(await runOne(deps, request, line, roleOf));
  }
  return results;
}

async function runOne(
  deps: CommandDeps,
  request: CommandRequest,
  line: ParsedCommand,
  roleOf: () => Promise<Role>,
): Promise<CommandResult> {
  const { platform } = deps;
  if (!line.ok) {
    await platform.reply(request.thread, formatUsageError(line.text, line.error, line.usage));
    return { command: line.text, outcome: 'usage-error', detail: line.error };
  }
  const { command } = line;
  const role = command.name === 'help' ? 'none' : await roleOf();
  const decision = decidePermission(command.name, role, deps.settings?.permissions);
  if (!decision.allowed) {
    await platform.reply(
      request.thread,
      formatRefusal(line.text, decision.reason, 'Run `/tollgate help` to see the commands you may run here.'),
    );
    if (command.name !== 'confirm' && command.name !== 'help')
      await writeAudit(deps, request, {
        action: command.name,
        ...('environment' in command ? { environment: command.environment } : {}),
        outcome: 'refused',
        detail: decision.reason,
      });
    return { command: line.text, outcome: 'refused', detail: decision.reason };
  }
  try {
    return await act(deps, request, line.text, command, roleOf);
  } catch (error) {
    const message = (error as Error).message;
    await platform
      .reply(request.thread, formatNote(line.text, `❌ \`${line.text}\` failed: ${message}.`))
      .catch(() => undefined);
    return { command: line.text, outcome: 'failed', detail: message };
  }
}

async function act(
  deps: CommandDeps,
  request: CommandRequest,
  text: string,
  command: ChatCommand,
  roleOf: () => Promise<Role>,
): Promise<CommandResult> {
  const { platform, stores } = deps;
  const scope = scopeOf(deps);
  const done = (detail?: string): CommandResult => ({
    command: text,
    outcome: 'done',
    ...(detail ? { detail } : {}),
  });
  const refused = async (reason: string, allowed?: string): Promise<CommandResult> => {
    await platform.reply(request.thread, formatRefusal(text, reason, allowed));
    return { command: text, outcome: 'refused', detail: reason };
  };
  const needsMergeRequest = async () =>
    request.thread.kind === 'merge_request'
      ? undefined
      : refused('this command works on merge requests only');

  switch (command.name) {
    case 'help': {
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
    }

    case 'recheck': {
      const notMr = await needsMergeRequest();
      if (notMr) return notMr;
      const change = await platform.getChangeRequest(request.thread.number);
      if (change.state !== 'open') return refused(`this merge request is ${change.state}`);
      await deps.requestRecheck(request.thread.number, change.headSha, `recheck by @${request.author.login}`);
      await platform.reply(
        request.thread,
        formatNote(text, `🔁 Re-running the checks on \`${change.headSha.slice(0, 12)}\`.`),
      );
      await writeAudit(deps, request, {
        action: 'recheck',
        outcome: 'done',
        detail: `recheck of ${change.headSha}`,
      });
      return done(change.headSha);
    }

    case 'override': {
      const notMr = await needsMergeRequest();
      if (notMr) return notMr;
      const change = await platform.getChangeRequest(request.thread.number);
      await stores.overrides.addOverride(scope, request.thread.number, {
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
      await deps.requestRecheck(
        request.thread.number,
        change.headSha,
        `override by @${request.author.login}`,
      );
      await platform.reply(
        request.thread,
        formatNote(
          text,
          `📝 Override of \`${command.check}\` recorded for \`${change.headSha.slice(0, 12)}\` by @${request.author.login}: ${command.reason}\nThe check runs again now; a new push needs a new override.`,
        ),
      );
      return done();
    }

    case 'lock':
    case 'unlock': {
      const env = command.environment;
      const known = deps.settings?.environments ?? (await platform.listEnvironments());
      if (command.name === 'lock' && known.length > 0 && !known.includes(env))
        return refused(
          `this repository has no environment \`${env}\``,
          `Known environments: ${known.map((e) => `\`${e}\``).join(', ')}.`,
        );
      const hold = await stores.mutex.acquire(
        scope,
        env,
        `${command.name} by @${request.author.login}`,
        LOCK_HOLD_MS,
      );
      if (!hold.acquired) {
        const reason = `a rollback or lock of \`${env}\` is in progress (${hold.heldBy})`;
        await writeAudit(deps, request, {
          action: command.name,
          environment: env,
          outcome: 'refused',
          detail: reason,
        });
        return refused(reason, 'Try again when it has finished.');
      }
      try {
        const existing = await stores.locks.getLock(scope, env);
        if (command.name === 'unlock') {
          if (!existing) return refused(`\`${env}\` is not locked`);
          await stores.locks.removeLock(scope, env);
          await writeAudit(deps, request, {
            action: 'unlock',
            environment: env,
            outcome: 'done',
            detail: `lifted lock by @${existing.lockedBy}`,
          });
          await platform.reply(
            request.thread,
            formatNote(text, `🔓 \`${env}\` is unlocked (it was locked by @${existing.lockedBy}).`),
          );
          return done();
        }
        if (existing)
          return refused(
            `\`${env}\` is locked already, by @${existing.lockedBy} since ${existing.lockedAt}${existing.reason ? ` (${existing.reason})` : ''}`,
            `Unlock it first with \`/tollgate unlock ${env}\` to lock it again with another reason.`,
          );
        await stores.locks.setLock(scope, {
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
        await platform.reply(
          request.thread,
          formatNote(
            text,
            `🔒 \`${env}\` is locked by @${request.author.login}${command.reason ? `: ${command.reason}` : ''}. Merges that touch it fail the Tollgate check until \`/tollgate unlock ${env}\`.`,
          ),
        );
        return done();
      } finally {
        await stores.mutex.release(scope, env, hold.token);
      }
    }

    case 'rollback': {
      const outcome = await planRollback(deps, request, text, command);
      if (outcome.kind === 'refused') return { command: text, outcome: 'refused', detail: outcome.reason };
      if (outcome.kind === 'failed') return { command: text, outcome: 'failed', detail: outcome.reason };
      return done(outcome.kind);
    }

    case 'confirm': {
      const outcome = await confirmRollback(deps, request, text);
      if (outcome.kind !== 'executed') return { command: text, outcome: 'refused', detail: outcome.kind };
      const failed = outcome.steps.some((s) => s.state === 'failed');
      return {
        command: text,
        outcome: failed ? 'failed' : 'done',
        detail: outcome.steps.map((s) => `${s.strategy}:${s.state}`).join(','),
      };
    }

    case 'doctor': {
      if (!deps.doctor) return refused('the branch doctor is not available on this worker');
      const branch = deps.settings?.protectedBranch ?? request.defaultBranch;
      // Read-only from a comment: fixes need an admin token and `tollgate doctor --apply`.
      const report = await runDoctor(await deps.doctor(), { branch });
      const hint = report.healthy
        ? ''
        : `\n\nTo fix what is missing, an admin runs \`tollgate doctor --platform ${platform.kind} --repo ${platform.project} --branch ${branch} --apply\`.`;
      await platform.reply(request.thread, formatNote(text, `${formatDoctorMarkdown(report)}${hint}`));
      return done(report.healthy ? 'healthy' : 'missing');
    }

    case 'cancel': {
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
    }
  }
}

export type ReactionPollOutcome = 'executed' | 'waiting' | 'gone' | 'refused';

/**
 * The 👍 path of confirmation. GitHub sends no webhook for reactions, so the worker polls the plan
 * comment every few seconds while the plan lives; a 👍 by the requester counts as `/tollgate confirm`.
 */
export async function pollReactionConfirmation(
  deps: CommandDeps,
  request: Omit<CommandRequest, 'comment'> & { comment?: CommandRequest['comment'] },
): Promise<ReactionPollOutcome> {
  const scope = scopeOf(deps);
  const plan = await deps.stores.plans.readPlan(scope, request.thread.number);
  if (!plan || plan.replyId === undefined || new Date(plan.expiresAt).getTime() < nowOf(deps).getTime())
    return 'gone';
  const requester = { login: plan.requestedBy, id: plan.requestedById };
  if (typeof requester.id !== 'number') return 'gone'; // a plan stored before ids were kept
  if (!(await deps.platform.hasThumbsUp(request.thread, plan.replyId, requester))) return 'waiting';
  // The 👍 stands for `/tollgate confirm`: the requester must still hold the role it needs now.
  const decision = decidePermission(
    'confirm',
    await deps.platform.getRole(requester),
    deps.settings?.permissions,
  );
  if (!decision.allowed) {
    await deps.platform
      .reply(request.thread, formatRefusal('👍 on the rollback plan', decision.reason))
      .catch(() => undefined);
    return 'refused';
  }
  const asRequester: CommandRequest = {
    ...request,
    author: requester,
    comment: request.comment ?? { id: plan.replyId, body: '' },
  };
  const outcome = await runConfirmedPlan(deps, asRequester, plan, '👍 on the rollback plan');
  return outcome.kind === 'executed' ? 'executed' : 'gone';
}
