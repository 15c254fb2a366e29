import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import nock from 'nock';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../../src/server/create-runtime.ts';
import { readEnvConfig } from '../../src/server/read-env-config.ts';
import { parsePrometheus, sampleValue } from '../adapters/prometheus/parse-prometheus.ts';
import { testRedisUrl } from '../support/redis-url.ts';
import { captureLogs } from './capture-logs.ts';
import { GITLAB_URL, nockGitLabReview } from './fake-gitlab.ts';
import { waitUntilReady } from './wait-until-ready.ts';

const PREFIX = `tollgate-test-metrics-${process.pid}`;
const DELIVERY = randomUUID();
const HEAD = 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7';
const payload = readFileSync(
  new URL('../fixtures/gitlab/merge-request-open-cafe.json', import.meta.url),
  'utf8',
);
const redis = new Redis(testRedisUrl);
const logs = captureLogs('debug');
let runtime: Runtime;
let base: string;
let metricsBase = '';

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  const config = readEnvConfig({
    GITLAB_URL,
    GITLAB_TOKEN: 'glpat-metricsTestToken0001',
    GITLAB_WEBHOOK_SECRET: 'gitlab-webhook-secret',
    REDIS_URL: testRedisUrl,
    TOLLGATE_QUEUE_PREFIX: PREFIX,
    TOLLGATE_DEBOUNCE_MS: '0',
    TOLLGATE_TREE_SOURCE: 'api', // the fake answers the per-file tree API, so API calls are counted one by one
    HOST: '127.0.0.1',
    PORT: '0',
    METRICS_PORT: '0',
  });
  runtime = createRuntime(config, logs.logger, { registry: new Registry() });
  const server = await runtime.startServer();
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const metricsServer = await runtime.startMetricsServer();
  metricsBase = `http://127.0.0.1:${(metricsServer!.address() as AddressInfo).port}`;
  await waitUntilReady(base);
});

afterAll(async () => {
  await runtime.close();
  const keys = await redis.keys(`${PREFIX}:*`);
  if (keys.length) await redis.del(...keys);
  await redis.del(`tollgate:delivery:gitlab:${DELIVERY}`);
  redis.disconnect();
  nock.cleanAll();
  nock.enableNetConnect();
});

describe('metrics and logs after a real job', () => {
  it('counts the webhook, the job, API calls and findings, and logs the job context on every line', async () => {
    const scope = nockGitLabReview({
      projectId: 42,
      iid: 7,
      headSha: HEAD,
      baseSha: '1'.repeat(40),
      files: { 'deploy/tea.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: tea\n  name: tea2\n' },
    });
    const worker = runtime.startWorker();
    const done = new Promise((resolve, reject) => {
      worker.on('completed', (_job, result) => resolve(result));
      worker.on('failed', (_job, error) => reject(error));
    });
    const response = await fetch(`${base}/api/gitlab/webhooks`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-gitlab-token': 'gitlab-webhook-secret',
        'x-gitlab-event': 'Merge Request Hook',
        'x-gitlab-event-uuid': DELIVERY,
      },
      body: payload,
    });
    expect(response.status).toBe(202);
    await expect(response.json()).resolves.toEqual({ outcome: 'queued' });
    const unauthorized = await fetch(`${base}/api/gitlab/webhooks`, { method: 'POST', body: '{}' });
    expect(unauthorized.status).toBe(401);
    expect(await done).toBe('fail');
    expect(scope.pendingMocks()).toEqual([]);

    // Not on the public webhook port: on the metrics listener (METRICS_PORT).
    expect((await fetch(`${base}/metrics`)).status).toBe(404);
    const scrape = await fetch(`${metricsBase}/metrics`);
    expect(scrape.status).toBe(200);
    expect(scrape.headers.get('content-type')).toContain('text/plain');
    const samples = parsePrometheus(await scrape.text());
    const value = (name: string, labels: Record<string, string> = {}) => sampleValue(samples, name, labels);

    expect(
      value('tollgate_webhooks_received_total', {
        platform: 'gitlab',
        event: 'merge_request',
        outcome: 'queued',
      }),
    ).toBe(1);
    expect(value('tollgate_webhooks_received_total', { platform: 'gitlab', outcome: 'unauthorized' })).toBe(
      1,
    );
    expect(value('tollgate_jobs_total', { queue: 'tollgate-check', outcome: 'completed' })).toBe(1);
    expect(
      value('tollgate_job_duration_seconds_count', { queue: 'tollgate-check', outcome: 'completed' }),
    ).toBe(1);
    expect(
      value('tollgate_platform_api_requests_total', { platform: 'gitlab', method: 'GET', status: '200' }),
    ).toBe(11); // MR ×2, commit ×2, diffs, compare, tree ×2 (base, head), one blob, user, notes
    expect(
      value('tollgate_platform_api_requests_total', { platform: 'gitlab', method: 'POST', status: '201' }),
    ).toBe(3);
    expect(value('tollgate_platform_api_errors_total', { platform: 'gitlab' })).toBeUndefined();
    expect(value('tollgate_evaluations_total', { verdict: 'fail' })).toBe(1);
    expect(value('tollgate_findings_total', { check: 'yaml', severity: 'error', blocking: 'true' })).toBe(1);
    expect(value('tollgate_queue_jobs', { queue: 'tollgate-check', state: 'completed' })).toBe(1);
    expect(value('tollgate_queue_jobs', { queue: 'tollgate-check', state: 'wait' })).toBe(0);
    expect(value('tollgate_queue_oldest_waiting_job_age_seconds', { queue: 'tollgate-check' })).toBe(0);

    const jobLines = logs.lines().filter((l) => l.jobId !== undefined);
    expect(jobLines.length).toBeGreaterThan(0);
    for (const line of jobLines) {
      expect(line).toMatchObject({
        deliveryId: DELIVERY,
        platform: 'gitlab',
        project: 'ops/cafe-deploy',
        mr: 7,
      });
    }
    const webhookLine = logs.lines().find((l) => l.msg === 'merge request event');
    expect(webhookLine).toMatchObject({
      deliveryId: DELIVERY,
      platform: 'gitlab',
      project: 'ops/cafe-deploy',
      mr: 7,
    });
    expect(logs.raw()).not.toContain('glpat-metricsTestToken0001');
  });
});
