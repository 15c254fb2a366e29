import type { Job } from 'bullmq';
import type { Logger } from 'pino';
import { COMMAND_REPLY_MARKER } from '../core/chatops/format-replies.ts';
import { mentionsCommand } from '../core/chatops/parse-commands.ts';
import type { ChatOpsSettings, CommandDeps, CommandStores } from '../usecases/command-deps.ts';
import type { BranchDoctorPort } from '../usecases/ports/branch-doctor-port.ts';
import type { CommandPlatform } from '../usecases/ports/command-platform.ts';
import { pollReactionConfirmation, runCommands } from '../usecases/run-command.ts';
import type { CommandJobData, ConfirmPollJobData } from './command-job.ts';
import { classifyFailedJob, settleFailedJob } from './settle-failed-job.ts';

export const POLL_INTERVAL_MS = 15_000;

export interface CommandProcessorDeps {
  /** The chat-ops adapter of the job's repository (built by the entry point). */
  platformFor: (job: CommandJobData | ConfirmPollJobData) => Promise<CommandPlatform>;
  stores: CommandStores;
  /** Queues a fresh check job for (job's project, number, head). */
  requestRecheck: (job: CommandJobData, number: number, headSha: string, reason: string) => Promise<void>;
  /** Schedules the next 👍 poll of a pending rollback plan. */
  schedulePoll: (data: ConfirmPollJobData, delayMs: number) => Promise<void>;
  /** Wait between two 👍 polls of a pending plan (default POLL_INTERVAL_MS). */
  pollIntervalMs?: number;
  /** Repository settings (`.tollgate.yml`, read elsewhere); defaults when absent. */
  settingsFor?: (job: CommandJobData) => Promise<ChatOpsSettings | undefined>;
  /** Branch protection reader for `/tollgate doctor`. */
  doctorFor?: (job: CommandJobData) => Promise<BranchDoctorPort>;
  logger: Logger;
}

/**
 * The job with the comment's author, body and the repository's default branch as the platform
 * reads them back by id; a string (the outcome) when nothing may run: no such comment in this
 * thread, a system note, or a repository other than the one the delivery claimed.
 */
async function verifyCommandJob(
  platform: CommandPlatform,
  data: CommandJobData,
): Promise<CommandJobData | 'comment-not-found' | 'system-note' | 'project-mismatch'> {
  const source = await platform.readCommandSource!(data.thread, data.comment.id);
  if (!source) return 'comment-not-found';
  if (source.system) return 'system-note';
  if (source.project !== data.project) return 'project-mismatch';
  return {
    ...data,
    comment: { ...data.comment, body: source.body },
    author: source.author,
    defaultBranch: source.defaultBranch,
  };
}

/**
 * The `command` queue's processor: a `command` job runs a comment's commands; a `confirm-poll`
 * job looks for the requester's 👍 on a pending rollback plan and reschedules itself until the
 * plan is confirmed, cancelled or expired. Errors go through mapErrorToOutcome like every processor's:
 * before a command may act (the platform factory) a rate limit waits; once commands started the job
 * fails and says so on the thread, never repeating a half-done command (see enqueueCommand).
 */
export function createCommandProcessor(deps: CommandProcessorDeps) {
  const pollIntervalMs = deps.pollIntervalMs ?? POLL_INTERVAL_MS;
  return async (job: Job<CommandJobData | ConfirmPollJobData>, token?: string): Promise<string> => {
    let data = job.data;
    const log = deps.logger.child({
      jobId: job.id,
      platform: data.platform,
      project: data.project,
      mr: data.thread.number,
    });
    let platform: CommandPlatform | undefined;
    let acting = false;
    try {
      platform = await deps.platformFor(data);
      const isPoll = job.name === 'confirm-poll';
      // A comment without a command line (most comments) reads nothing more: no .tollgate.yml.
      const hasCommand = !isPoll && mentionsCommand((data as CommandJobData).comment.body);
      if (hasCommand && platform.readCommandSource) {
        // Act on the comment as the platform stores it, never on what the webhook claimed.
        const verified = await verifyCommandJob(platform, data as CommandJobData);
        if (typeof verified === 'string') {
          log.warn({ commentId: (data as CommandJobData).comment.id, outcome: verified }, 'command not run');
          return verified;
        }
        data = verified;
        platform = await deps.platformFor(verified);
      }
      const base = { ...data, comment: { id: 0, body: '' } } as CommandJobData;
      let settings: ChatOpsSettings | undefined;
      // A 👍 poll reads them too: the requester's role is checked again against them.
      if ((hasCommand || isPoll) && deps.settingsFor) {
        try {
          settings = await deps.settingsFor(data as CommandJobData);
        } catch (error) {
          // Never fall back to the defaults: they may allow more than the repository does.
          const reason = (error as Error).message;
          log.warn({ err: error }, 'could not read the chat-ops settings; commands not run');
          if (isPoll) {
            const poll = data as ConfirmPollJobData;
            if (Date.now() < new Date(poll.expiresAt).getTime())
              await deps.schedulePoll({ ...poll, attempt: poll.attempt + 1 }, pollIntervalMs);
            return 'settings-unavailable';
          }
          await platform
            .reply(
              data.thread,
              `${COMMAND_REPLY_MARKER}\n❌ Tollgate could not read \`.tollgate.yml\` from \`${data.defaultBranch}\` (${reason}), so it ran no command. Nothing was changed; try again in a moment.`,
            )
            .catch(() => undefined);
          return 'settings-unavailable';
        }
      }
      const commandDeps: CommandDeps = {
        platform,
        stores: deps.stores,
        requestRecheck: (number, headSha, reason) =>
          deps.requestRecheck('comment' in data ? data : base, number, headSha, reason),
        ...(settings ? { settings } : {}),
        ...(deps.doctorFor ? { doctor: () => deps.doctorFor!('comment' in data ? data : base) } : {}),
      };

      // From here on a command may act: a repeat could act twice, so errors fail the job, never retry it.
      acting = true;
      if (job.name === 'confirm-poll') {
        const poll = data as ConfirmPollJobData;
        const outcome = await pollReactionConfirmation(commandDeps, {
          thread: poll.thread,
          author: poll.author,
          defaultBranch: poll.defaultBranch,
        });
        if (outcome === 'waiting' && Date.now() < new Date(poll.expiresAt).getTime())
          await deps.schedulePoll({ ...poll, attempt: poll.attempt + 1 }, pollIntervalMs);
        log.info({ outcome, attempt: poll.attempt }, 'rollback confirmation poll');
        return outcome;
      }

      const commandJob = data as CommandJobData;
      const results = await runCommands(commandDeps, {
        thread: commandJob.thread,
        comment: commandJob.comment,
        author: commandJob.author,
        defaultBranch: commandJob.defaultBranch,
      });
      const plan = await deps.stores.plans.readPlan(
        { platform: platform.kind, project: platform.project },
        commandJob.thread.number,
      );
      if (
        plan &&
        plan.requestedById === commandJob.author.id &&
        results.some((r) => r.detail === 'planned')
      ) {
        const { comment: _comment, ...rest } = commandJob;
        await deps.schedulePoll({ ...rest, expiresAt: plan.expiresAt, attempt: 1 }, pollIntervalMs);
      }
      log.info({ results: results.map((r) => `${r.command} → ${r.outcome}`) }, 'commands run');
      return results.map((r) => r.outcome).join(',') || 'no-command';
    } catch (error) {
      const outcome = classifyFailedJob(job, token, error, log, 'command job', !acting);
      if (outcome.kind === 'fail') {
        if (platform && job.name !== 'confirm-poll') {
          await platform
            .reply(
              data.thread,
              `${COMMAND_REPLY_MARKER}\n❌ Tollgate could not finish the commands of this comment: ${outcome.reason}. The replies above say what was done; post the command again to retry.`,
            )
            .catch(() => undefined);
        }
      }
      return settleFailedJob(job, token, outcome, error);
    }
  };
}
