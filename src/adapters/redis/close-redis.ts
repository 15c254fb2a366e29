import type { Redis } from 'ioredis';

/**
 * Closes a connection gracefully: QUIT waits for the replies of commands already sent (BullMQ may
 * still have some in flight right after start-up), so none of them is rejected with "Connection is
 * closed". A connection that is already down is simply dropped.
 */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  if (redis.status !== 'ready') {
    redis.disconnect();
    return;
  }
  await redis.quit().catch(() => redis.disconnect());
}
