import type { ApplicationFunction } from 'probot';
import type { CheckJobData } from '../queue/check-job.ts';
import type { EnqueueOutcome } from '../queue/enqueue-check.ts';

export type Enqueue = (job: CheckJobData) => Promise<EnqueueOutcome>;

/** Error whose `status` the webhook middleware answers with: 503 tells GitHub to show a failed delivery. */
export class QueueUnavailableError extends Error {
  override name = 'QueueUnavailableError';
  readonly status = 503;
}

async function enqueueOr503(enqueue: Enqueue, job: CheckJobData): Promise<EnqueueOutcome> {
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
export function createGitHubApp(enqueue: Enqueue): ApplicationFunction {
  return (app) => {
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
