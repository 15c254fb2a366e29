import { Redis } from 'ioredis';
import pino from 'pino';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../../src/server/create-runtime.ts';
import { readEnvConfig } from '../../src/server/read-env-config.ts';
import { GITLAB_SECRET, gitlabMergeRequestEvent, sendGitLabWebhook } from '../support/gitlab-fixtures.ts';
import { FAKE_GITLAB_TOKEN, type FakeGitLabServer, serveFakeGitLab } from '../support/serve-fake-gitlab.ts';
import { startWorkerProcesses, stopProcess, waitFor } from '../support/spawn-worker-process.ts';
import { ownRedis } from '../support/start-redis-server.ts';

// Redis that comes back empty (FLUSHALL, a restart without persistence) takes the queued jobs of
// deliveries already acknowledged with 2xx, and the reconciler's schedule, with it. Every open
// merge request must still get a final status within one reconcile interval after Redis returns.
// Each test runs its own redis-server (ports 6391-6394 are this suite's), never the shared one.
const RECONCILE_MS = 20_000; // checked for an empty Redis every 2 s
const MERGE_REQUESTS = 16;
const SERVICE = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: coffee\nspec:\n  ports:\n    - port: 80\n';
const sha = (i: number) => i.toString(16).padStart(2, '0').repeat(20);

let fake: FakeGitLabServer | undefined;
let runtime: Runtime | undefined;
let workers: Awaited<ReturnType<typeof startWorkerProcesses>> = [];
let redis: ReturnType<typeof ownRedis> | undefined;

const env = (redisUrl: string, gitlabUrl: string): Record<string, string> => ({
  REDIS_URL: redisUrl,
  PORT: '0',
  HOST: '127.0.0.1',
  GITLAB_URL: gitlabUrl,
  GITLAB_TOKEN: FAKE_GITLAB_TOKEN,
  GITLAB_WEBHOOK_SECRET: GITLAB_SECRET,
  GITLAB_PROJECTS: '1',
  TOLLGATE_QUEUE_PREFIX: 'tollgate',
  TOLLGATE_DEBOUNCE_MS: '3000', // the deliveries are acknowledged, their jobs still wait in Redis
  TOLLGATE_RETRY_DELAY_MS: '200',
  TOLLGATE_TREE_SOURCE: 'api',
  TOLLGATE_RECONCILE_INTERVAL_MS: String(RECONCILE_MS),
  METRICS_ENABLED: 'false',
  LOG_LEVEL: 'info',
});

/** Workers and a webhook server on a fresh redis-server; no merge request is open yet. */
async function start(port: number): Promise<{ url: string; redisUrl: string }> {
  redis = ownRedis(port);
  await redis.start();
  fake = await serveFakeGitLab({ projectId: 1, projectPath: 'gitlabhq/gitlab-test', mergeRequests: [] });
  runtime = createRuntime(readEnvConfig(env(redis.url, fake.url)), pino({ level: 'silent' }), {
    registry: new Registry(),
  });
  const server = await runtime.startServer();
  workers = await startWorkerProcesses(2, env(redis.url, fake.url));
  // Started, and the start-up reconcile ran (over no merge requests).
  await waitFor('the start-up reconcile', () =>
    fake!.calls.some((c) => c.endsWith('/merge_requests')) ? true : undefined,
  );
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, redisUrl: redis.url };
}

/** Opens the merge requests and delivers their events (acknowledged, jobs waiting for the debounce). */
async function openMergeRequests(url: string) {
  for (let i = 1; i <= MERGE_REQUESTS; i++) {
    fake!.mergeRequests.set(i, {
      iid: i,
      headSha: sha(i),
      baseSha: 'ba'.repeat(20),
      state: 'opened',
      files: { [`deploy/app-${i}.yaml`]: SERVICE.replace('coffee', `app-${i}`) },
    });
    const event = gitlabMergeRequestEvent('open', sha(i));
    (event.object_attributes as { iid: number }).iid = i;
    expect((await sendGitLabWebhook(url, event)).status).toBe(202);
  }
}

const unfinished = () =>
  [...fake!.mergeRequests.values()].filter((mr) => {
    const state = fake!.latestStatus(mr.headSha);
    return state !== 'success' && state !== 'failed';
  });

async function allFinal(since: number): Promise<number> {
  await waitFor(
    'a final status on every open merge request',
    () => (unfinished().length === 0 ? true : undefined),
    RECONCILE_MS + 4_000,
  ).catch((error: Error) => {
    throw new Error(
      `${error.message}: ${unfinished().length} of ${MERGE_REQUESTS} without one\nworker logs:\n${workers.map((w) => w.output()).join('\n')}`,
    );
  });
  return Date.now() - since;
}

afterEach(async () => {
  await Promise.all(workers.map((w) => stopProcess(w)));
  workers = [];
  await runtime?.close();
  runtime = undefined;
  await fake?.close();
  fake = undefined;
  await redis?.kill();
  redis = undefined;
});

describe('Redis comes back empty', () => {
  it('after FLUSHALL every open merge request gets a final status within one reconcile interval', async () => {
    const { url, redisUrl } = await start(6391);
    await openMergeRequests(url);
    const admin = new Redis(redisUrl);
    await admin.flushall(); // the acknowledged jobs and the reconciler's schedule are gone
    const flushed = Date.now();
    admin.disconnect();
    const recovered = await allFinal(flushed);
    expect(recovered).toBeLessThanOrEqual(RECONCILE_MS);
    expect(workers.some((w) => w.output().includes('redis came back empty'))).toBe(true);
    process.stdout.write(
      `recovery after FLUSHALL: ${recovered} ms (reconcile interval ${RECONCILE_MS} ms)\n`,
    );
  }, 120_000);

  it('after a restart without persistence every open merge request gets a final status within one reconcile interval', async () => {
    const { url } = await start(6392);
    await openMergeRequests(url);
    await redis!.kill(); // before the debounce ran out: the jobs die with it
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await redis!.start(); // empty
    const back = Date.now();
    const recovered = await allFinal(back);
    expect(recovered).toBeLessThanOrEqual(RECONCILE_MS);
    process.stdout.write(
      `recovery after a restart: ${recovered} ms (reconcile interval ${RECONCILE_MS} ms)\n`,
    );
  }, 120_000);
});
