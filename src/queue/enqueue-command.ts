import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { type CommandJobData, commandJobId, commentSeenKey } from './command-job.ts';

export type EnqueueCommandOutcome = 'queued' | 'duplicate-comment';

/** Comments are remembered this long; GitHub and GitLab redeliver within days, not months. */
const COMMENT_TTL_SECONDS = 30 * 24 * 3600;

/**
 * Queues the commands of one comment, once: the comment id is marked in Redis (SET NX) before the
 * job is added, so redeliveries and retried webhooks never run a command twice. Command jobs run
 * one attempt: a half-done rollback is reported, never silently repeated.
 */
export async function enqueueCommand(
  queue: Queue,
  redis: Redis,
  data: CommandJobData,
  prefix = 'tollgate',
): Promise<EnqueueCommandOutcome> {
  const fresh = await redis.set(
    commentSeenKey(data, prefix),
    data.deliveryId,
    'EX',
    COMMENT_TTL_SECONDS,
    'NX',
  );
  if (fresh !== 'OK') return 'duplicate-comment';
  try {
    await queue.add('command', data, {
      jobId: commandJobId(data),
      attempts: 1,
      removeOnComplete: { age: 24 * 3600, count: 1000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    });
  } catch (error) {
    // Not queued: let the redelivery try again.
    await redis.del(commentSeenKey(data, prefix)).catch(() => undefined);
    throw error;
  }
  return 'queued';
}
