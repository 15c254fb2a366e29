import { formatNote, formatPlan, formatRefusal } from '../../core/chatops/format-replies.ts';
import type { ChatCommand } from '../../core/chatops/parse-commands.ts';
import {
  chooseRollbackTarget,
  DEFAULT_STRATEGIES,
  listFirstParentCommits,
  type MergeRequestRecord,
  type RollbackPlan,
} from '../../core/chatops/rollback-plan.ts';
import {
  type CommandDeps,
  type CommandRequest,
  DEFAULT_CONFIRM_TIMEOUT_MS,
  nowOf,
  scopeOf,
  writeAudit,
} from '../command-deps.ts';

/** Merge requests are looked up for at most this many commits (one API call each). */
const MAX_COMMITS_LOOKED_UP = 30;
/** The environment stays held a little past the plan's expiry, so confirmation and hold end together. */
const HOLD_MARGIN_MS = 60_000;

export type PlanOutcome =
  | { kind: 'planned'; plan: RollbackPlan }
  | { kind: 'dry-run'; plan: RollbackPlan }
  | { kind: 'refused'; reason: string }
  | { kind: 'failed'; reason: string };

type RollbackCommand = Extract<ChatCommand, { name: 'rollback' }>;

async function collectMergeRequests(deps: CommandDeps, shas: string[]): Promise<MergeRequestRecord[]> {
  const seen = new Map<number, MergeRequestRecord>();
  for (const sha of shas.slice(0, MAX_COMMITS_LOOKED_UP)) {
    for (const mr of await deps.platform.listMergeRequestsOfCommit(sha)) seen.set(mr.number, mr);
  }
  return [...seen.values()].sort((a, b) => b.number - a.number);
}

/**
 * Step 1 and 2 of a rollback: find what runs and what ran before, work out what would be undone,
 * and reply with the plan. A dry run stops there without holding anything; a real plan holds the
 * environment's mutex and waits (stored with a TTL) for the requester's confirmation.
 */
export async function planRollback(
  deps: CommandDeps,
  request: CommandRequest,
  text: string,
  command: RollbackCommand,
): Promise<PlanOutcome> {
  const { platform, stores } = deps;
  const scope = scopeOf(deps);
  const env = command.environment;
  const refuse = async (reason: string, allowed?: string): Promise<PlanOutcome> => {
    await platform.reply(request.thread, formatRefusal(text, reason, allowed));
    if (!command.dryRun)
      await writeAudit(deps, request, {
        action: 'rollback',
        environment: env,
        outcome: 'refused',
        detail: reason,
      });
    return { kind: 'refused', reason };
  };

  const known = deps.settings?.environments ?? (await platform.listEnvironments());
  if (known.length > 0 && !known.includes(env))
    return refuse(
      `this repository has no environment \`${env}\``,
      `Known environments: ${known.map((e) => `\`${e}\``).join(', ')}.`,
    );

  const timeoutMs = deps.settings?.confirmTimeoutMs ?? DEFAULT_CONFIRM_TIMEOUT_MS;
  let mutexToken: string | undefined;
  if (!command.dryRun) {
    const pending = await stores.plans.readPlan(scope, request.thread.number);
    if (pending)
      return refuse(
        `a rollback plan for \`${pending.environment}\` by @${pending.requestedBy} awaits confirmation here`,
        'Confirm it with `/tollgate confirm`, or drop it with `/tollgate cancel`, then ask again.',
      );
    const hold = await stores.mutex.acquire(
      scope,
      env,
      `rollback by @${request.author.login} in #${request.thread.number}`,
      timeoutMs + HOLD_MARGIN_MS,
    );
    if (!hold.acquired)
      return refuse(
        `a rollback or lock of \`${env}\` is in progress (${hold.heldBy})`,
        `Wait for it to finish, or add \`--dry-run\` to see the plan without acting.`,
      );
    mutexToken = hold.token;
  }

  const release = async () => {
    if (mutexToken) await stores.mutex.release(scope, env, mutexToken);
  };
  try {
    const deployments = await platform.listSuccessfulDeployments(env);
    const choice = chooseRollbackTarget(env, deployments, command.target);
    if (!choice.ok) {
      await release();
      return refuse(choice.reason);
    }
    const history = await platform.listCommitsBetween(choice.to.sha, choice.from.sha);
    // The platform may know the target by its full SHA only through the compare answer.
    const toSha = choice.to.sha.length === 40 ? choice.to.sha : resolveFullSha(history, choice.to.sha);
    const chain = listFirstParentCommits(history, choice.from.sha, toSha);
    if (!chain.ok) {
      await release();
      return refuse(chain.reason);
    }
    // Merged but not deployed: a revert to the target's tree would undo these as well.
    const undeployed = await platform
      .listCommitsBetween(choice.from.sha, request.defaultBranch)
      .catch(() => [] as typeof history);
    const now = nowOf(deps);
    const plan: RollbackPlan = {
      environment: env,
      from: { sha: choice.from.sha, deployment: choice.from },
      to: { ...choice.to, sha: toSha },
      commits: chain.commits,
      mergeRequests: await collectMergeRequests(
        deps,
        chain.commits.map((c) => c.sha),
      ),
      ...(undeployed.length ? { undeployed } : {}),
      strategies: [...(deps.settings?.strategies ?? DEFAULT_STRATEGIES)],
      defaultBranch: request.defaultBranch,
      requestedBy: request.author.login,
      requestedById: request.author.id,
      number: request.thread.number,
      ...(mutexToken ? { mutexToken } : {}),
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + timeoutMs).toISOString(),
    };
    let diff: string | undefined;
    if (deps.settings?.renderDiff) {
      diff = await deps.settings
        .renderDiff(plan.from.sha, plan.to.sha)
        .catch((error: unknown) => `_The manifest diff could not be rendered: ${(error as Error).message}_`);
    }
    const body = formatPlan(plan, {
      dryRun: command.dryRun,
      platform: platform.kind,
      timeoutMinutes: Math.round(timeoutMs / 60_000),
      ...(diff !== undefined ? { diff } : {}),
    });
    const posted = await platform.reply(request.thread, body);
    if (command.dryRun) return { kind: 'dry-run', plan };
    const stored: RollbackPlan = { ...plan, replyId: posted.id };
    await stores.plans.savePlan(scope, stored, timeoutMs);
    await writeAudit(deps, request, {
      action: 'rollback',
      environment: env,
      outcome: 'planned',
      detail: `planned ${plan.from.sha.slice(0, 12)} → ${plan.to.sha.slice(0, 12)}, awaiting confirmation`,
    });
    return { kind: 'planned', plan: stored };
  } catch (error) {
    await release();
    await platform
      .reply(
        request.thread,
        formatNote(
          text,
          `❌ The rollback plan could not be made: ${(error as Error).message}. Nothing was changed.`,
        ),
      )
      .catch(() => undefined);
    return { kind: 'failed', reason: (error as Error).message };
  }
}

function resolveFullSha(history: readonly { sha: string; parents: string[] }[], prefix: string): string {
  for (const c of history) {
    if (c.sha.startsWith(prefix)) return c.sha;
    const parent = c.parents.find((p) => p.startsWith(prefix));
    if (parent) return parent;
  }
  return prefix;
}
