import type { ApplicationFunction } from 'probot';
import { isWatchedBranch, type PushJobData } from '../queue/branch-job.ts';
import type { CheckJobData } from '../queue/check-job.ts';
import type { CommandJobData } from '../queue/command-job.ts';
import type { EnqueueOutcome } from '../queue/enqueue-check.ts';
import { parseGitHubCommentEvent } from './inbound/parse-github-comment-event.ts';

export type Enqueue = (job: CheckJobData) => Promise<EnqueueOutcome>;
export type EnqueueCommand = (job: CommandJobData) => Promise<string>;
export type EnqueuePush = (job: PushJobData) => Promise<EnqueueOutcome>;

/** Where the app sends what it accepts; a missing queue means those events are ignored. */
export interface GitHubAppQueues {
  enqueue: Enqueue;
  enqueueCommand?: EnqueueCommand;
  enqueuePush?: EnqueuePush;
}

/** Error whose `status` the webhook middleware answers with: 503 tells GitHub to show a failed delivery. */
export class QueueUnavailableError extends Error {
  override name = 'QueueUnavailableError';
  readonly status = 503;
}

async function enqueueOr503<T>(
  enqueue: (job: T) => Promise<EnqueueOutcome>,
  job: T,
): Promise<EnqueueOutcome> {
  try {
    return await enqueue(job);
  } catch (error) {
    throw new QueueUnavailableError(`could not queue the check: ${(error as Error).message}`);
  }
}

/**
 * The probot app: validates events and queues jobs; all work happens in the worker, so GitHub
 * gets its answer in milliseconds.
 */
export function createGitHubApp({
  enqueue,
  enqueueCommand,
  enqueuePush,
}: GitHubAppQueues): ApplicationFunction {
  return (app) => {
    // Branch discipline: every push to the default branch (or main) is checked for bypasses.
    if (enqueuePush) {
      app.on('push', async (context) => {
        const { ref, before, after, forced, created, deleted, repository, installation, sender, pusher } =
          context.payload;
        const branch = ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined;
        if (!branch || !isWatchedBranch(branch, repository.default_branch)) return;
        const outcome = await enqueueOr503(enqueuePush, {
          platform: 'github',
          project: repository.full_name,
          ...(installation ? { installationId: installation.id } : {}),
          branch,
          before,
          after,
          forced,
          created,
          deleted,
          pusher: sender?.login ?? pusher.name,
          deliveryId: context.id,
          reason: 'push',
        });
        context.log.info({ deliveryId: context.id, branch, outcome }, 'push event');
      });
    }
    // Chat-ops: only new comments; edits and deletions never run a command.
    if (enqueueCommand)
      app.on('issue_comment.created', async (context) => {
        const decision = parseGitHubCommentEvent(context.payload);
        if (decision.action === 'ignore') {
          context.log.debug({ deliveryId: context.id, reason: decision.reason }, 'comment ignored');
          return;
        }
        let outcome: string;
        try {
          outcome = await enqueueCommand({ ...decision.job, deliveryId: context.id });
        } catch (error) {
          throw new QueueUnavailableError(`could not queue the command: ${(error as Error).message}`);
        }
        context.log.info(
          { deliveryId: context.id, number: decision.job.thread.number, outcome },
          'comment command',
        );
      });
    app.on(['pull_request.opened', 'pull_request.synchronize', 'pull_request.reopened'], async (context) => {
      const { pull_request: pr, repository, installation } = context.payload;
      const outcome = await enqueueOr503(enqueue, {
        platform: 'github',
        project: repository.full_name,
        ...(installation ? { installationId: installation.id } : {}),
        number: pr.number,
        headSha: pr.head.sha,
        deliveryId: context.id,
        reason: `pull_request.${context.payload.action}`,
      });
      context.log.info(
        { deliveryId: context.id, platform: 'github', project: repository.full_name, mr: pr.number, outcome },
        'pull request event',
      );
    });
    // The "Re-run" button on the tollgate check run.
    app.on('check_run.rerequested', async (context) => {
      const { check_run: run, repository, installation } = context.payload;
      const pr = run.pull_requests[0];
      if (run.name !== 'tollgate' || !pr) return;
      const outcome = await enqueueOr503(enqueue, {
        platform: 'github',
        project: repository.full_name,
        ...(installation ? { installationId: installation.id } : {}),
        number: pr.number,
        headSha: run.head_sha,
        deliveryId: context.id,
        reason: 'check_run.rerequested',
        rerun: true,
      });
      context.log.info({ deliveryId: context.id, pr: pr.number, outcome }, 'check re-run requested');
    });
    // Merge queues wait for the required check on the group's temporary commit: answer them too.
    app.on('merge_group.checks_requested', async (context) => {
      const { merge_group: group, repository, installation } = context.payload;
      if (!repository) return;
      const outcome = await enqueueOr503(enqueue, {
        platform: 'github',
        project: repository.full_name,
        ...(installation ? { installationId: installation.id } : {}),
        headSha: group.head_sha,
        baseSha: group.base_sha,
        deliveryId: context.id,
        reason: 'merge_group.checks_requested',
      });
      context.log.info(
        { deliveryId: context.id, platform: 'github', project: repository.full_name, outcome },
        'merge group event',
      );
    });
  };
}
