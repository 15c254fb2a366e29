import { formatNote, formatProgress, type StepReport } from '../../core/chatops/format-replies.ts';
import { branchNameFor, type RollbackPlan } from '../../core/chatops/rollback-plan.ts';
import { nameChangeRequestKind, referToChangeRequest } from '../../core/report/name-change-request.ts';
import type { CommandDeps, CommandRequest } from '../command-deps.ts';
import { nowOf, scopeOf, writeAudit } from '../command-deps.ts';

/** Long enough for a redeploy call and a revert of many commits; the hold is released at the end. */
const EXECUTION_HOLD_MS = 10 * 60_000;

export type ConfirmOutcome =
  | { kind: 'executed'; steps: StepReport[] }
  | { kind: 'no-plan' }
  | { kind: 'not-requester'; requestedBy: string }
  | { kind: 'lost-hold' };

function revertBody(plan: RollbackPlan, sourceUrl?: string): string {
  return [
    `Rolls \`${plan.defaultBranch}\` back to ${plan.to.sha} so it matches what runs in **${plan.environment}** after a rollback requested by @${plan.requestedBy}${sourceUrl ? ` (${sourceUrl})` : ''}.`,
    '',
    `The tree of this change is the tree of ${plan.to.sha}: it undoes everything since, including`,
    ...plan.mergeRequests.map((m) => `- #${m.number} ${m.title}`),
    ...(plan.mergeRequests.length ? [] : ['- (no merge request found)']),
  ].join('\n');
}

/** Step 3 and 4: act with each configured strategy in turn, updating the plan's reply as it goes. */
export async function executeRollback(
  deps: CommandDeps,
  request: CommandRequest,
  plan: RollbackPlan,
): Promise<StepReport[]> {
  const steps: StepReport[] = plan.strategies.map((strategy) => ({ strategy, state: 'pending' }));
  const show = async () => {
    const body = formatProgress(plan, steps, request.author.login, deps.platform.kind);
    if (plan.replyId !== undefined) await deps.platform.editReply(request.thread, plan.replyId, body);
    else await deps.platform.reply(request.thread, body);
  };
  await show();
  for (const step of steps) {
    step.state = 'running';
    try {
      if (step.strategy === 'redeploy') {
        const result = await deps.platform.redeploy({
          environment: plan.environment,
          toSha: plan.to.sha,
          ...(plan.to.deployment ? { deployment: plan.to.deployment } : {}),
          fromSha: plan.from.sha,
          requestedBy: request.author.login,
          ...(request.comment.url ? { sourceUrl: request.comment.url } : {}),
        });
        Object.assign(step, {
          state: 'done',
          detail: result.detail,
          ...(result.url ? { url: result.url } : {}),
        });
      } else {
        const result = await deps.platform.openRevert({
          environment: plan.environment,
          fromSha: plan.from.sha,
          toSha: plan.to.sha,
          commits: plan.commits,
          defaultBranch: plan.defaultBranch,
          branch: branchNameFor(plan.environment, plan.to.sha),
          title: `Roll back ${plan.environment} to ${plan.to.sha.slice(0, 12)}`,
          body: revertBody(plan, request.comment.url),
        });
        if (result.ok)
          Object.assign(step, {
            state: 'done',
            detail: `revert ${nameChangeRequestKind(deps.platform.kind)} ${referToChangeRequest(deps.platform.kind, result.number)} opened from \`${result.branch}\``,
            url: result.url,
          });
        else Object.assign(step, { state: 'failed', detail: result.detail });
      }
    } catch (error) {
      Object.assign(step, {
        state: 'failed',
        detail: `${(error as Error).message} (nothing more was done for this step)`,
      });
    }
    await show().catch(() => undefined);
  }
  return steps;
}

/**
 * Confirmation (a `/tollgate confirm` comment or a 👍 on the plan): only the requester, only while
 * the plan lives, and only once. Then the rollback runs under the environment's mutex.
 */
export async function confirmRollback(
  deps: CommandDeps,
  request: CommandRequest,
  text: string,
): Promise<ConfirmOutcome> {
  const scope = scopeOf(deps);
  const plan = await deps.stores.plans.readPlan(scope, request.thread.number);
  if (!plan || new Date(plan.expiresAt).getTime() < nowOf(deps).getTime()) {
    await deps.platform.reply(
      request.thread,
      formatNote(
        text,
        'No rollback plan awaits confirmation here: it expired, was cancelled, or was never made. Nothing was changed. Ask again with `/tollgate rollback ENV`.',
      ),
    );
    return { kind: 'no-plan' };
  }
  if (plan.requestedById !== request.author.id) {
    await deps.platform.reply(
      request.thread,
      formatNote(
        text,
        `Only @${plan.requestedBy}, who asked for this rollback, can confirm it. Nothing was changed.`,
      ),
    );
    return { kind: 'not-requester', requestedBy: plan.requestedBy };
  }
  return runConfirmedPlan(deps, request, plan, text);
}

/** Takes the plan (once), keeps the environment held, runs it, audits it, and releases the hold. */
export async function runConfirmedPlan(
  deps: CommandDeps,
  request: CommandRequest,
  plan: RollbackPlan,
  text: string,
): Promise<ConfirmOutcome> {
  const scope = scopeOf(deps);
  if (!(await deps.stores.plans.takePlan(scope, plan))) {
    await deps.platform.reply(
      request.thread,
      formatNote(text, 'This plan was confirmed or cancelled already. Nothing more was done.'),
    );
    return { kind: 'no-plan' };
  }
  const held = plan.mutexToken
    ? await deps.stores.mutex.extend(scope, plan.environment, plan.mutexToken, EXECUTION_HOLD_MS)
    : false;
  if (!held) {
    await deps.platform.reply(
      request.thread,
      formatNote(
        text,
        `The hold on \`${plan.environment}\` expired before confirmation. Nothing was changed; ask again.`,
      ),
    );
    await writeAudit(deps, request, {
      action: 'rollback',
      environment: plan.environment,
      outcome: 'refused',
      detail: 'hold expired before confirmation',
    });
    return { kind: 'lost-hold' };
  }
  try {
    const steps = await executeRollback(deps, request, plan);
    const failed = steps.filter((s) => s.state === 'failed');
    await writeAudit(deps, request, {
      action: 'rollback',
      environment: plan.environment,
      outcome: failed.length === 0 ? 'done' : failed.length === steps.length ? 'failed' : 'partial',
      detail: `${plan.from.sha.slice(0, 12)} → ${plan.to.sha.slice(0, 12)}: ${steps.map((s) => `${s.strategy} ${s.state}${s.detail ? ` (${s.detail})` : ''}`).join('; ')}`,
      links: steps.flatMap((s) => (s.url ? [s.url] : [])),
    });
    return { kind: 'executed', steps };
  } finally {
    await deps.stores.mutex.release(scope, plan.environment, plan.mutexToken!);
  }
}
