import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RECONCILE_SCHEDULER_ID, type ReconcileJobData } from '../../src/queue/branch-job.ts';
import { scheduleReconciler } from '../../src/queue/process-branch-job.ts';
import { testRedisUrl } from '../support/redis-url.ts';

const PREFIX = `tollgate-test-scheduler-${process.pid}`;
const redis = new Redis(testRedisUrl, { maxRetriesPerRequest: 1 });
const queue = new Queue<ReconcileJobData>('tollgate-branch', { connection: redis, prefix: PREFIX });

afterAll(async () => {
  await queue.obliterate({ force: true });
  await queue.close();
  redis.disconnect();
});

describe('scheduleReconciler', () => {
  it('keeps one scheduler and one start-up run however many workers start', async () => {
    await scheduleReconciler(queue, 300_000, RECONCILE_SCHEDULER_ID);
    await scheduleReconciler(queue, 300_000, RECONCILE_SCHEDULER_ID);
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers.map((s) => [s.key, s.every])).toEqual([[RECONCILE_SCHEDULER_ID, 300_000]]);
    const jobs = await queue.getJobs(['waiting', 'delayed']);
    expect(jobs.filter((j) => j.id === 'reconcile.startup')).toHaveLength(1);
    expect(jobs.every((j) => j.name === 'reconcile')).toBe(true);
  });
});
