import { randomBytes } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import nock from 'nock';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandJobData } from '../../src/queue/command-job.ts';
import { createCommandProcessor } from '../../src/queue/process-command-job.ts';
import { createCommandPlatformForJob } from '../../src/server/platforms/create-command-platform-for-job.ts';
import { readEnvConfig } from '../../src/server/read-env-config.ts';
import { PermanentPlatformError, RateLimitedError } from '../../src/usecases/ports/platform-errors.ts';
import { gitlabNoteJson } from '../support/fake-gitlab-chatops.ts';
import { testRedisUrl } from '../support/redis-url.ts';
import { createTestStores } from '../usecases/chatops-test-kit.ts';

const HOST = 'https://gitlab.example.com';
const config = readEnvConfig({ GITLAB_URL: HOST, GITLAB_TOKEN: 'glpat-test', GITLAB_WEBHOOK_SECRET: 's' });
const kit = createTestStores();
const connection = new Redis(testRedisUrl, { maxRetriesPerRequest: null });
const prefix = `test-cmd-errors-${randomBytes(4).toString('hex')}`;

const data = (id: number): CommandJobData => ({
  platform: 'gitlab',
  project: 'acme/shop',
  projectId: 5,
  thread: { number: 1, kind: 'merge_request' },
  comment: { id, body: '/tollgate help' },
  author: { login: 'root', id: 1 },
  defaultBranch: 'main',
  deliveryId: `d-${id}`,
});

/** Runs one command job on a real BullMQ worker and waits until it settles in `state`. */
async function runOnWorker(
  platformFor: Parameters<typeof createCommandProcessor>[0]['platformFor'],
  id: number,
  state: 'delayed' | 'failed',
) {
  const name = `command-${id}`;
  const queue = new Queue(name, { connection, prefix });
  const worker = new Worker(
    name,
    createCommandProcessor({
      platformFor,
      stores: kit.stores,
      requestRecheck: async () => undefined,
      schedulePoll: async () => undefined,
      logger: pino({ level: 'silent' }),
    }),
    { connection, prefix },
  );
  const job = await queue.add('command', data(id), { attempts: 1 });
  for (let i = 0; i < 200 && (await job.getState()) !== state; i++)
    await new Promise((r) => setTimeout(r, 25));
  const settled = (await queue.getJob(job.id!))!;
  const out = { state: await settled.getState(), failedReason: settled.failedReason };
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  return out;
}

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterAll(async () => {
  nock.enableNetConnect();
  await kit.cleanup();
  connection.disconnect();
});

describe('the command processor maps errors like the check and branch processors', () => {
  it('waits out a rate limit hit before any command ran (moved to delayed, no attempt used)', async () => {
    const out = await runOnWorker(
      async () => {
        throw new RateLimitedError('GitLab answered 429', 60_000);
      },
      1,
      'delayed',
    );
    expect(out.state).toBe('delayed');
  });

  it('fails a permanent error at once with its reason', async () => {
    const out = await runOnWorker(
      async () => {
        throw new PermanentPlatformError('GitLab is not configured on this worker');
      },
      2,
      'failed',
    );
    expect(out).toMatchObject({ state: 'failed', failedReason: 'GitLab is not configured on this worker' });
  });

  it('fails (never repeats) once commands started, and says so on the merge request', async () => {
    const replies: string[] = [];
    const scope = nock(HOST)
      // The note and the project, read back before anything acts (as GitLab's API answers them).
      .get('/api/v4/projects/5/merge_requests/1/notes/3')
      .reply(
        200,
        gitlabNoteJson({
          id: 3,
          body: '/tollgate help',
          author: { id: 1, username: 'root' },
          projectId: 5,
          iid: 1,
        }),
      )
      .get('/api/v4/projects/5')
      .reply(200, { id: 5, path_with_namespace: 'acme/shop', default_branch: 'main' })
      .get('/api/v4/user')
      .reply(503, { message: '503 Service Unavailable' })
      .post('/api/v4/projects/5/merge_requests/1/notes')
      .reply(201, (_uri, body) => {
        replies.push((body as { body: string }).body);
        return { id: 1 };
      });
    const out = await runOnWorker(createCommandPlatformForJob(config, undefined), 3, 'failed');
    expect(out.state).toBe('failed');
    expect(out.failedReason).toMatch(/503/);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain('Tollgate could not finish the commands of this comment');
    expect(scope.pendingMocks()).toEqual([]);
  });
});
