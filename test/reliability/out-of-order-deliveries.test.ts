import { Redis } from 'ioredis';
import pino from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../../src/server/create-runtime.ts';
import { readEnvConfig } from '../../src/server/read-env-config.ts';
import { GITLAB_SECRET, gitlabMergeRequestEvent, sendGitLabWebhook } from '../support/gitlab-fixtures.ts';
import { testRedisUrl } from '../support/redis-url.ts';
import { FAKE_GITLAB_TOKEN, type FakeGitLabServer, serveFakeGitLab } from '../support/serve-fake-gitlab.ts';
import { startWorkerProcesses, stopProcess, waitFor } from '../support/spawn-worker-process.ts';

// GitHub and GitLab do not guarantee delivery order: the event for an older head can arrive after
// the newer one, inside the debounce window, and replace its waiting job. Whatever the order, the
// merge request's current head must end with a final status.
const PREFIX = `tollgate-test-order-${process.pid}`;
const c0 = 'c0'.repeat(20);
const c1 = 'c1'.repeat(20);
const base = 'b0'.repeat(20);
const older = 'cf'.repeat(20);
const d1 = 'd1'.repeat(20);
const d2 = 'd2'.repeat(20);
const SERVICE = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: coffee\nspec:\n  ports:\n    - port: 80\n';

let fake: FakeGitLabServer;
let runtime: Runtime;
let url: string;
const workers: Awaited<ReturnType<typeof startWorkerProcesses>> = [];
const finalStatus = (sha: string) => () => {
  const state = fake.latestStatus(sha);
  return state === 'success' || state === 'failed' ? state : undefined;
};
const withLogs = (error: Error) => {
  throw new Error(`${error.message}\nworker logs:\n${workers.map((w) => w.output()).join('\n')}`);
};
const redis = new Redis(testRedisUrl, { maxRetriesPerRequest: 1 });

const env = (gitlabUrl: string): Record<string, string> => ({
  REDIS_URL: testRedisUrl,
  PORT: '0',
  HOST: '127.0.0.1',
  GITLAB_URL: gitlabUrl,
  GITLAB_TOKEN: FAKE_GITLAB_TOKEN,
  GITLAB_WEBHOOK_SECRET: GITLAB_SECRET,
  TOLLGATE_QUEUE_PREFIX: PREFIX,
  TOLLGATE_DEBOUNCE_MS: '1500',
  TOLLGATE_RETRY_DELAY_MS: '200',
  TOLLGATE_TREE_SOURCE: 'api',
  TOLLGATE_RECONCILE_INTERVAL_MS: '0', // no safety net: the jobs alone must get it right
  METRICS_ENABLED: 'false',
  LOG_LEVEL: 'info',
});

beforeAll(async () => {
  fake = await serveFakeGitLab({
    projectId: 1,
    projectPath: 'gitlabhq/gitlab-test',
    mergeRequests: [
      { iid: 1, headSha: c1, baseSha: base, state: 'opened', files: { 'deploy/coffee.yaml': SERVICE } },
      { iid: 2, headSha: d1, baseSha: base, state: 'opened', files: { 'deploy/tea.yaml': SERVICE } },
    ],
  });
  runtime = createRuntime(readEnvConfig(env(fake.url)), pino({ level: 'silent' }), {
    registry: new Registry(),
  });
  const server = await runtime.startServer();
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  workers.push(...(await startWorkerProcesses(2, env(fake.url))));
}, 60_000);

afterAll(async () => {
  await Promise.all(workers.map((w) => stopProcess(w)));
  await runtime?.close();
  await fake?.close();
  const keys = await redis.keys(`${PREFIX}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

describe('out-of-order deliveries', () => {
  it('a late delivery for the older head inside the debounce window still ends with a final status on the current head', async () => {
    // c0 -> c1 was pushed; GitLab delivers the update for c1 first, then the late open for c0.
    expect((await sendGitLabWebhook(url, gitlabMergeRequestEvent('update', c1, c0))).status).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await sendGitLabWebhook(url, gitlabMergeRequestEvent('open', c0))).status).toBe(202);

    const final = await waitFor('a final status on the current head c1', finalStatus(c1), 15_000).catch(
      withLogs,
    );
    expect(final).toBe('success');
    // One sticky comment, and nothing published for the superseded head.
    expect(fake.notes.get(1)).toHaveLength(1);
    expect(fake.statuses.filter((s) => s.sha === c0)).toEqual([]);
  }, 40_000);

  it('a late delivery for an older head after the current head was checked changes nothing', async () => {
    const before = fake.statuses.length;
    const event = gitlabMergeRequestEvent('open', older);
    expect((await sendGitLabWebhook(url, event)).status).toBe(202);
    const job = await waitFor('the late job to finish', async () => {
      const jobId = `check.gitlab.gitlabhq/gitlab-test.1.${older}`;
      // The state first, then the job: a job read before it completed carries no return value.
      if ((await runtime.queue.getJobState(jobId)) !== 'completed') return undefined;
      return runtime.queue.getJob(jobId);
    }).catch(withLogs);
    expect(job.returnvalue).toBe('already-checked');
    // No pending flicker on the checked head, no second comment.
    expect(fake.statuses.length).toBe(before);
    expect(fake.notes.get(1)).toHaveLength(1);
  }, 30_000);

  it('a head that moves on during the review gets its own check even when its event never comes', async () => {
    // While d1 is being reviewed, d2 is pushed; its webhook is lost.
    fake.onCall = (call, query) => {
      if (call.endsWith('/repository/tree') && query.get('ref') === d1)
        fake.mergeRequests.get(2)!.headSha = d2;
    };
    const event = gitlabMergeRequestEvent('open', d1);
    (event.object_attributes as { iid: number }).iid = 2;
    expect((await sendGitLabWebhook(url, event)).status).toBe(202);
    expect(await waitFor('a final status on d1', finalStatus(d1)).catch(withLogs)).toBe('success');
    expect(await waitFor('a final status on d2', finalStatus(d2)).catch(withLogs)).toBe('success');
    expect(fake.notes.get(2)).toHaveLength(1);
    fake.onCall = undefined;
  }, 30_000);
});
