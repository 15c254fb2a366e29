import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBasicAuth } from '../../src/server/create-queue-dashboard.ts';
import { createRuntime, type Runtime } from '../../src/server/create-runtime.ts';
import { readEnvConfig } from '../../src/server/read-env-config.ts';
import { testRedisUrl } from '../support/redis-url.ts';
import { captureLogs } from './capture-logs.ts';
import { waitUntilReady } from './wait-until-ready.ts';

const PREFIX = `tollgate-test-dashboard-${process.pid}`;
const USER = 'ops';
const PASSWORD = 'correct horse battery staple';
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

async function start(extra: Record<string, string>): Promise<{ runtime: Runtime; base: string }> {
  const config = readEnvConfig({
    GITLAB_TOKEN: 'glpat-dashboardTestToken01',
    GITLAB_WEBHOOK_SECRET: 'gitlab-webhook-secret',
    TOLLGATE_QUEUE_PREFIX: PREFIX,
    HOST: '127.0.0.1',
    PORT: '0',
    ...extra,
  });
  const runtime = createRuntime(config, captureLogs().logger, { registry: new Registry() });
  const server = await runtime.startServer();
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await waitUntilReady(base);
  return { runtime, base };
}

let enabled: { runtime: Runtime; base: string };
let disabled: { runtime: Runtime; base: string };

beforeAll(async () => {
  enabled = await start({ DASHBOARD_USER: USER, DASHBOARD_PASSWORD: PASSWORD });
  disabled = await start({});
  await enabled.runtime.queue.add('check', {
    platform: 'gitlab',
    project: 'ops/cafe-deploy',
    number: 7,
    headSha: 'abc',
    deliveryId: 'd-1',
    reason: 'test',
  });
});

afterAll(async () => {
  await enabled.runtime.close();
  await disabled.runtime.close();
  const redis = new Redis(testRedisUrl);
  const keys = await redis.keys(`${PREFIX}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

describe('queue dashboard at /admin/queues', () => {
  it('asks for credentials (401 + WWW-Authenticate) without them', async () => {
    const response = await fetch(`${enabled.base}/admin/queues`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    const api = await fetch(`${enabled.base}/admin/queues/api/queues`);
    expect(api.status).toBe(401);
  });

  it.each([
    ['a wrong password', basic(USER, 'wrong password!!')],
    ['a wrong user', basic('root', PASSWORD)],
    ['a password prefix', basic(USER, PASSWORD.slice(0, -1))],
    ['another scheme', `Bearer ${PASSWORD}`],
    ['garbage', 'Basic !!!'],
  ])('refuses %s with 401', async (_label, authorization) => {
    const response = await fetch(`${enabled.base}/admin/queues`, { headers: { authorization } });
    expect(response.status).toBe(401);
  });

  it('serves the UI and the queue API with the right credentials', async () => {
    const headers = { authorization: basic(USER, PASSWORD) };
    const page = await fetch(`${enabled.base}/admin/queues`, { headers });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('<base href="/admin/queues/"');
    // Assets are relative to that base: the stylesheet must load too (behind the same authentication).
    const asset = /href="(static\/[^"]+\.css)"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    const css = await fetch(`${enabled.base}/admin/queues/${asset}`, { headers });
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toContain('text/css');
    expect((await fetch(`${enabled.base}/admin/queues/${asset}`)).status).toBe(401);
    const api = await fetch(`${enabled.base}/admin/queues/api/queues`, { headers });
    expect(api.status).toBe(200);
    const body = (await api.json()) as { queues: { name: string; counts: Record<string, number> }[] };
    expect(body.queues.map((q) => q.name).sort()).toEqual([
      'tollgate-branch',
      'tollgate-check',
      'tollgate-command',
    ]);
    expect(body.queues[0]!.counts.waiting ?? body.queues[0]!.counts.wait).toBe(1);
  });

  it('is read-only unless the operator asks for write actions: a clean is refused, nothing removed', async () => {
    const headers = { authorization: basic(USER, PASSWORD) };
    const api = (await (await fetch(`${enabled.base}/admin/queues/api/queues`, { headers })).json()) as {
      queues: { name: string; readOnlyMode?: boolean }[];
    };
    expect(api.queues.every((q) => q.readOnlyMode === true)).toBe(true);
    const clean = await fetch(`${enabled.base}/admin/queues/api/queues/tollgate-check/clean/waiting`, {
      method: 'PUT',
      headers,
    });
    expect(clean.status).toBeGreaterThanOrEqual(400);
    expect(await enabled.runtime.queue.getWaitingCount()).toBe(1);
  });

  it('is not there at all (404) when no credentials are configured', async () => {
    const response = await fetch(`${disabled.base}/admin/queues`, {
      headers: { authorization: basic(USER, PASSWORD) },
    });
    expect(response.status).toBe(404);
  });
});

describe('checkBasicAuth', () => {
  it('accepts exactly the configured pair, passwords with colons included', () => {
    expect(checkBasicAuth(basic('ops', 'a:b:c'), 'ops', 'a:b:c')).toBe(true);
    expect(checkBasicAuth(basic('ops', 'a:b'), 'ops', 'a:b:c')).toBe(false);
    expect(checkBasicAuth(undefined, 'ops', 'x')).toBe(false);
    expect(checkBasicAuth(`Basic ${Buffer.from('opsx').toString('base64')}`, 'ops', 'x')).toBe(false);
  });
});
