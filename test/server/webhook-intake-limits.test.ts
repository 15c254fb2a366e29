import { request as httpRequest } from 'node:http';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime } from '../../src/server/create-runtime.ts';
import { readEnvConfig } from '../../src/server/read-env-config.ts';
import { startTestRuntime, type TestRuntime } from '../support/start-test-runtime.ts';
import { generatePrivateKey } from '../support-github.ts';

// What anyone on the internet can make the public webhook port do, before any signature is checked.

let app: TestRuntime;
const privateKey = generatePrivateKey();

beforeAll(async () => {
  app = await startTestRuntime(
    {
      APP_ID: '1',
      PRIVATE_KEY: privateKey,
      WEBHOOK_SECRET: 'gh-secret',
      TOLLGATE_WEBHOOK_READ_SLOTS: '2',
    },
    { worker: false },
  );
});
afterAll(async () => {
  await app.close();
});

/** A delivery whose body is still arriving: its read holds a slot until `finish`. */
function slowDelivery(url: string) {
  const { hostname, port } = new URL(url);
  const req = httpRequest({
    hostname,
    port,
    path: '/api/github/webhooks',
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'content-length': '1000',
      'x-github-event': 'ping',
      'x-github-delivery': 'slow',
      'x-hub-signature-256': `sha256=${'0'.repeat(64)}`,
    },
  });
  const status = new Promise<number>((resolve, reject) => {
    req.on('response', (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
  });
  req.write('{"zen": "');
  return { status, finish: () => req.end(`${' '.repeat(1000 - 11)}"}`) };
}

describe('the GitHub webhook endpoint before the signature is checked', () => {
  it('reads at most N bodies at once; one more is answered 503 with Retry-After, unread', async () => {
    const first = slowDelivery(app.url);
    const second = slowDelivery(app.url);
    await new Promise((r) => setTimeout(r, 200));
    const third = await fetch(`${app.url}/api/github/webhooks`, {
      method: 'POST',
      headers: { 'x-hub-signature-256': `sha256=${'0'.repeat(64)}`, 'x-github-event': 'ping' },
      body: '{}',
    });
    expect(third.status).toBe(503);
    expect(third.headers.get('retry-after')).toBe('1');
    first.finish();
    second.finish();
    expect(await first.status).toBe(401);
    expect(await second.status).toBe(401);
    // The slots are free again.
    const after = await fetch(`${app.url}/api/github/webhooks`, {
      method: 'POST',
      headers: { 'x-hub-signature-256': `sha256=${'0'.repeat(64)}`, 'x-github-event': 'ping' },
      body: '{}',
    });
    expect(after.status).toBe(401);
  });

  it('refuses a body over GitHub’s 25 MB cap with 413 before reading it, and one without a signature with 401', async () => {
    const { hostname, port } = new URL(app.url);
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({
        hostname,
        port,
        path: '/api/github/webhooks',
        method: 'POST',
        headers: { 'content-length': String(26 * 1024 * 1024), 'x-hub-signature-256': 'sha256=00' },
      });
      req.on('response', (res) => resolve(res.statusCode ?? 0));
      req.on('error', reject);
      req.write('{');
    });
    expect(status).toBe(413);
    const unsigned = await fetch(`${app.url}/api/github/webhooks`, { method: 'POST', body: '{}' });
    expect(unsigned.status).toBe(401);
  });

  it('does not serve /metrics on the webhook port; the metrics listener does', async () => {
    expect((await fetch(`${app.url}/metrics`)).status).toBe(404);
    const scrape = await fetch(`${app.metricsUrl}/metrics`);
    expect(scrape.status).toBe(200);
    expect(await scrape.text()).toContain('tollgate_webhooks_received_total');
  });
});

describe('/readyz', () => {
  it('says Redis is unavailable without echoing the error (hosts, ports, auth failures)', async () => {
    const config = readEnvConfig({
      REDIS_URL: 'redis://tollgate:hunter2hunter2@127.0.0.1:1',
      PORT: '0',
      HOST: '127.0.0.1',
      GITLAB_TOKEN: 'glpat-x',
      GITLAB_WEBHOOK_SECRET: 'secret',
      TOLLGATE_QUEUE_PREFIX: `tollgate-test-readyz-${process.pid}`,
    });
    const runtime = createRuntime(config, pino({ level: 'silent' }));
    const server = await runtime.startServer();
    try {
      const { port } = server.address() as { port: number };
      const response = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(response.status).toBe(503);
      const text = await response.text();
      expect(JSON.parse(text)).toEqual({ status: 'unavailable', reason: 'redis unavailable' });
      for (const leak of ['127.0.0.1', 'ECONNREFUSED', ':1', 'hunter2', 'tollgate:'])
        expect(text).not.toContain(leak);
    } finally {
      await runtime.close();
    }
  }, 20_000);
});
