import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import nock from 'nock';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../../src/server/create-runtime.ts';
import { readEnvConfig } from '../../src/server/read-env-config.ts';
import { testRedisUrl } from '../support/redis-url.ts';
import { captureLogs } from './capture-logs.ts';
import { GITLAB_URL, nockGitLabReview } from './fake-gitlab.ts';

const root = new URL('../../', import.meta.url).pathname;
const PREFIX = `tollgate-test-shutdown-${process.pid}`;
const ENV: Record<string, string> = {
  GITLAB_URL,
  GITLAB_TOKEN: 'glpat-shutdownTestToken01',
  GITLAB_WEBHOOK_SECRET: 'gitlab-webhook-secret',
  REDIS_URL: testRedisUrl,
  TOLLGATE_QUEUE_PREFIX: PREFIX,
  TOLLGATE_DEBOUNCE_MS: '0',
  WORKER_LOCK_DURATION_MS: '1000',
  WORKER_STALLED_INTERVAL_MS: '500',
  METRICS_ENABLED: 'false',
  TOLLGATE_TREE_SOURCE: 'api', // the fake answers the per-file tree API
  TOLLGATE_RECONCILE_INTERVAL_MS: '0', // only the check job may call the (hanging) API here
  LOG_LEVEL: 'warn',
};
const redis = new Redis(testRedisUrl);
const deliveries: string[] = [];
let children: ChildProcess[] = [];
let runtime: Runtime;

function startWorkerProcess(extra: Record<string, string> = {}): ChildProcess {
  const child = spawn(
    process.execPath,
    ['--import', './test/server/hang-gitlab-preload.mjs', 'bin/run.js', 'workers/check-worker.ts'],
    { cwd: root, env: { PATH: process.env.PATH ?? '', ...ENV, ...extra }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout!.resume(); // its JSON logs are not asserted here
  children.push(child);
  return child;
}

/** Resolves once the worker process's job has called the (hanging) GitLab API: it is mid-job. */
function midJob(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    child.stderr!.on('data', (d) => {
      seen += d;
      if (seen.includes('gitlab request')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`worker process exited early (${code}): ${seen}`)));
  });
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function enqueue(headSha: string): Promise<string> {
  const deliveryId = randomUUID();
  deliveries.push(deliveryId);
  await runtime.enqueue({
    platform: 'gitlab',
    project: 'ops/cafe-deploy',
    projectId: 42,
    number: 7,
    headSha,
    deliveryId,
    reason: 'merge_request.open',
  });
  return `check.gitlab.ops/cafe-deploy.7.${headSha}`;
}

const stateOf = async (jobId: string) => (await runtime.queue.getJob(jobId))?.getState();

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  runtime = createRuntime(readEnvConfig(ENV), captureLogs('warn').logger, { registry: new Registry() });
  await runtime.queue.waitUntilReady();
});

afterEach(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  children = [];
});

afterAll(async () => {
  await runtime.close();
  const keys = await redis.keys(`${PREFIX}:*`);
  if (keys.length) await redis.del(...keys);
  for (const id of deliveries) await redis.del(`tollgate:delivery:gitlab:${id}`);
  redis.disconnect();
  nock.cleanAll();
  nock.enableNetConnect();
});

describe('a worker that dies or stops mid-job loses nothing', () => {
  it('retries the job of a worker killed with SIGKILL on another worker (stalled-job detection)', async () => {
    const head = 'a1'.repeat(20);
    const child = startWorkerProcess();
    const running = midJob(child);
    const jobId = await enqueue(head);
    await running;
    expect(await stateOf(jobId)).toBe('active');
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    expect(await stateOf(jobId)).toBe('active'); // lost with its worker, until its lock expires

    const scope = nockGitLabReview({
      projectId: 42,
      iid: 7,
      headSha: head,
      baseSha: '1'.repeat(40),
      files: { 'deploy/coffee.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: coffee\n' },
    });
    const worker = runtime.startWorker();
    const result = await until('the second worker to complete the job', async () => {
      const job = await runtime.queue.getJob(jobId);
      return (await job?.getState()) === 'completed' ? job : undefined;
    });
    expect(result.returnvalue).toBe('pass');
    expect(result.stalledCounter).toBe(1);
    expect(scope.pendingMocks()).toEqual([]);
    await worker.close();
  });

  it('hands a running job back to the queue on SIGTERM when it outlasts SHUTDOWN_TIMEOUT_MS', async () => {
    const head = 'b2'.repeat(20);
    const child = startWorkerProcess({ SHUTDOWN_TIMEOUT_MS: '300', WORKER_LOCK_DURATION_MS: '30000' });
    const running = midJob(child);
    const jobId = await enqueue(head);
    await running;
    expect(await stateOf(jobId)).toBe('active');
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    // Back in the queue at once, not waiting for a 30 s lock to expire.
    expect(await stateOf(jobId)).toBe('waiting');
    await runtime.queue.remove(jobId);
  });
});
