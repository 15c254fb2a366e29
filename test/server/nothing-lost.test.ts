import { sign } from '@octokit/webhooks-methods';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import nock from 'nock';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createProbot } from '../../src/adapters/github/create-probot.ts';
import { listGitHubInstallationRepositories } from '../../src/adapters/github/list-github-installation-repositories.ts';
import { createRedisConditionalCache } from '../../src/adapters/redis/create-redis-conditional-cache.ts';
import { createRedisFinalCheckStore } from '../../src/adapters/redis/create-redis-final-check-store.ts';
import { renderAllEnvironments } from '../../src/adapters/render/render-environment.ts';
import { CHECK_QUEUE, type CheckJobData } from '../../src/queue/check-job.ts';
import { enqueueCheck } from '../../src/queue/enqueue-check.ts';
import { createCheckProcessor } from '../../src/queue/process-check-job.ts';
import { requeueCheck } from '../../src/queue/requeue-check.ts';
import { createRuntime } from '../../src/server/create-runtime.ts';
import { createBranchPlatformForJob } from '../../src/server/platforms/create-branch-platform-for-job.ts';
import { createPlatformForJob } from '../../src/server/platforms/create-platform-for-job.ts';
import { type EnvConfig, readEnvConfig } from '../../src/server/read-env-config.ts';
import { reconcileOpenChangeRequests } from '../../src/usecases/reconcile-open-change-requests.ts';
import { repositoryTarball } from '../support/fake-archive.ts';
import { testRedisUrl } from '../support/redis-url.ts';
import { generatePrivateKey, githubExample } from '../support-github.ts';

const GH = 'https://api.github.com';
const PREFIX = `tollgate-test-nothing-lost-${process.pid}`;
const logger = pino({ level: 'silent' });
const privateKey = generatePrivateKey();

function config(redisUrl: string): EnvConfig {
  return readEnvConfig({
    REDIS_URL: redisUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'error',
    APP_ID: '1',
    PRIVATE_KEY: privateKey,
    WEBHOOK_SECRET: 'gh-secret',
    GITLAB_URL: 'https://gitlab.example.com',
    GITLAB_TOKEN: 'glpat-test',
    GITLAB_WEBHOOK_SECRET: 'gl-secret',
    TOLLGATE_DEBOUNCE_MS: '0',
    TOLLGATE_RETRY_DELAY_MS: '50',
    TOLLGATE_JOB_ATTEMPTS: '2',
    WORKER_CONCURRENCY: '1',
    TOLLGATE_QUEUE_PREFIX: PREFIX,
  });
}

const redis = new Redis(testRedisUrl, { maxRetriesPerRequest: 1 });

async function cleanRedis() {
  const keys = await redis.keys(`${PREFIX}*`);
  const deliveries = await redis.keys('tollgate:delivery:*:reconcile-test*');
  if (keys.length + deliveries.length) await redis.del(...keys, ...deliveries);
}

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  await cleanRedis();
});
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});
afterAll(async () => {
  await cleanRedis();
  redis.disconnect();
});

describe('webhooks while Redis is unreachable', () => {
  it('answer 503 on GitHub and GitLab, so the platform shows a failed delivery', async () => {
    const runtime = createRuntime(config('redis://127.0.0.1:1'), logger);
    const server = await runtime.startServer();
    const { port } = server.address() as { port: number };
    try {
      const pr = githubExample('pull_request', (e) => e.action === 'opened' && Boolean(e.installation));
      const body = JSON.stringify(pr);
      const github = await fetch(`http://127.0.0.1:${port}/api/github/webhooks`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'pull_request',
          'x-github-delivery': 'd-503-pr',
          'x-hub-signature-256': await sign('gh-secret', body),
        },
        body,
      });
      expect(github.status).toBe(503);

      const push = githubExample('push', (e) => e.ref === 'refs/heads/master' && Boolean(e.installation));
      const pushBody = JSON.stringify(push);
      const githubPush = await fetch(`http://127.0.0.1:${port}/api/github/webhooks`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'push',
          'x-github-delivery': 'd-503-push',
          'x-hub-signature-256': await sign('gh-secret', pushBody),
        },
        body: pushBody,
      });
      expect(githubPush.status).toBe(503);

      const { readFileSync } = await import('node:fs');
      const gitlab = await fetch(`http://127.0.0.1:${port}/api/gitlab/webhooks`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-gitlab-event': 'Push Hook',
          'x-gitlab-token': 'gl-secret',
        },
        body: readFileSync('test/fixtures/gitlab/push-direct.json', 'utf8'),
      });
      expect(gitlab.status).toBe(503);
    } finally {
      await runtime.close();
    }
  });

  it('does not keep the delivery key when queuing fails after it was set', async () => {
    const deadConnection = new Redis('redis://127.0.0.1:1', {
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      lazyConnect: true,
    });
    deadConnection.on('error', () => undefined);
    const deadQueue = new Queue<CheckJobData>(CHECK_QUEUE, { connection: deadConnection, prefix: PREFIX });
    deadQueue.on('error', () => undefined);
    const data: CheckJobData = {
      platform: 'github',
      project: 'o/r',
      number: 1,
      headSha: 'a'.repeat(40),
      deliveryId: 'reconcile-test-dead-queue',
      reason: 'test',
    };
    await expect(
      enqueueCheck(deadQueue, redis, data, { debounceMs: 0, attempts: 1, retryDelayMs: 50 }),
    ).rejects.toThrow();
    expect(await redis.exists('tollgate:delivery:github:reconcile-test-dead-queue')).toBe(0);
    await deadQueue.close().catch(() => undefined);
    deadConnection.disconnect();
  });
});

describe('the reconciler', () => {
  const owner = 'Codertocat';
  const repo = 'Hello-World';
  const base = `/repos/${owner}/${repo}`;
  const lost = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';
  const done = 'deadbeef00000000000000000000000000000001';
  const pull = (number: number, sha: string) => ({
    number,
    state: 'open',
    merged_at: null,
    html_url: `https://github.com/${owner}/${repo}/pull/${number}`,
    head: { sha, ref: `feature/${number}` },
    base: { sha: 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e', ref: 'main' },
  });

  it('re-queues only the open pull requests without a final status, and the worker then sets it', async () => {
    const cfg = config(testRedisUrl);
    const probot = createProbot(cfg.github!, logger);
    const queue = new Queue<CheckJobData>(CHECK_QUEUE, { connection: redis, prefix: PREFIX });
    const cache = createRedisConditionalCache(redis, { prefix: `${PREFIX}:branch` });
    const deps = (runId: string) => ({
      listTargets: () => listGitHubInstallationRepositories(probot, cache),
      platformFor: createBranchPlatformForJob(cfg, probot, cache),
      requeue: (r: Parameters<typeof requeueCheck>[2]) => requeueCheck(queue, redis, r, { attempts: 2 }),
      finalChecks: createRedisFinalCheckStore(redis, { prefix: `${PREFIX}:branch` }),
      runId,
    });
    try {
      nock(GH)
        .get('/app/installations')
        .query(true)
        .reply(200, [{ id: 1, account: { login: owner } }], { etag: '"inst-1"' })
        .post('/app/installations/1/access_tokens')
        .reply(201, { token: 'ghs_inst', expires_at: new Date(Date.now() + 3600_000).toISOString() })
        .get('/installation/repositories')
        .query(true)
        .reply(
          200,
          { total_count: 1, repositories: [{ full_name: `${owner}/${repo}` }] },
          { etag: '"repos-1"' },
        )
        .get(`${base}/pulls`)
        .query(true)
        .reply(200, [pull(2, lost), pull(3, done)], { etag: '"pulls-1"' })
        .get(`${base}/commits/${lost}/check-runs`)
        .query(true)
        .reply(200, { total_count: 0, check_runs: [] }, { etag: '"runs-lost"' })
        .get(`${base}/commits/${done}/check-runs`)
        .query(true)
        .reply(200, { total_count: 1, check_runs: [{ id: 5, status: 'completed', conclusion: 'success' }] });
      const first = await reconcileOpenChangeRequests(deps('test1'));
      expect(first).toMatchObject({ targets: 1, open: 2, final: 1, queued: 1, alreadyQueued: 0, errors: [] });
      const jobs = await queue.getJobs(['waiting', 'delayed', 'prioritized']);
      expect(jobs.map((j) => [j.data.number, j.data.headSha])).toEqual([[2, lost]]);

      // Second run: unchanged lists answer 304 (no rate limit), the final one is not asked again,
      // and the still-queued job is not doubled.
      const notModified = (etag: string) =>
        function (this: { req: { headers: Record<string, string> } }) {
          expect(this.req.headers['if-none-match']).toBe(etag);
          return [304, ''];
        };
      nock(GH)
        .get('/app/installations')
        .query(true)
        .reply(notModified('"inst-1"') as never)
        .get('/installation/repositories')
        .query(true)
        .reply(notModified('"repos-1"') as never)
        .get(`${base}/pulls`)
        .query(true)
        .reply(notModified('"pulls-1"') as never)
        .get(`${base}/commits/${lost}/check-runs`)
        .query(true)
        .reply(notModified('"runs-lost"') as never);
      const second = await reconcileOpenChangeRequests(deps('test2'));
      expect(second).toMatchObject({ open: 2, final: 1, queued: 0, alreadyQueued: 1, errors: [] });
      expect(await queue.getJobCounts('waiting')).toMatchObject({ waiting: 1 });

      // The worker runs the re-queued check: the lost pull request gets its tollgate status.
      let finalCheck: Record<string, unknown> | undefined;
      nock(GH)
        .get(`${base}/pulls/2`)
        .times(2)
        .reply(200, pull(2, lost))
        .get(`${base}/commits/${lost}/check-runs`)
        .query(true)
        .reply(200, { total_count: 0, check_runs: [] })
        .post(`${base}/check-runs`, (b) => b.status === 'in_progress')
        .reply(201, { id: 41 })
        .get(`${base}/pulls/2/files`)
        .query(true)
        .reply(200, [])
        // Base and head trees: one tarball each, redirected to codeload.
        .get(/\/tarball\/[0-9a-f]+$/)
        .times(2)
        .reply((uri) => [
          302,
          '',
          { location: `https://codeload.github.com/${owner}/${repo}/legacy.tar.gz/${uri.split('/').pop()}` },
        ])
        .get(`${base}/issues/2/comments`)
        .query(true)
        .reply(200, [])
        .post(`${base}/issues/2/comments`)
        .reply(201, { id: 1 })
        .get(`${base}/commits/${lost}/check-runs`)
        .query(true)
        .reply(200, { total_count: 1, check_runs: [{ id: 41, status: 'in_progress', conclusion: null }] })
        .patch(`${base}/check-runs/41`, (b) => {
          finalCheck = b;
          return true;
        })
        .reply(200, { id: 41 });
      nock('https://codeload.github.com')
        .get(/\/legacy\.tar\.gz\/[0-9a-f]+$/)
        .times(2)
        .reply(200, await repositoryTarball(`${owner}-${repo}-f95f852`, {}), {
          'content-type': 'application/x-gzip',
        });
      const processor = createCheckProcessor(
        createPlatformForJob(cfg, probot),
        logger,
        {},
        {
          render: renderAllEnvironments,
        },
      );
      expect(await processor(jobs[0]!)).toBe('pass');
      expect(finalCheck).toMatchObject({ status: 'completed', conclusion: 'success' });
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });
});
