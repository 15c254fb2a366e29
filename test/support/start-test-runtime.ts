import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import pino from 'pino';
import { createRuntime } from '../../src/server/create-runtime.ts';
import { type EnvConfig, readEnvConfig } from '../../src/server/read-env-config.ts';

import { testRedisUrl as REDIS_URL } from './redis-url.ts';

export { REDIS_URL };

export interface TestRuntime {
  url: string;
  /** The metrics listener (METRICS_PORT), when metrics are on. */
  metricsUrl?: string;
  config: EnvConfig;
  runtime: ReturnType<typeof createRuntime>;
  close(): Promise<void>;
}

/**
 * The real server and a real worker on real Redis, isolated by a fresh queue prefix. Only the
 * platform HTTP APIs are faked (nock), at the HTTP boundary.
 */
export async function startTestRuntime(
  env: Record<string, string>,
  { worker = true, githubPacing = true }: { worker?: boolean; githubPacing?: boolean } = {},
): Promise<TestRuntime> {
  const config = readEnvConfig({
    REDIS_URL,
    PORT: '0',
    HOST: '127.0.0.1',
    TOLLGATE_DEBOUNCE_MS: '0',
    TOLLGATE_RETRY_DELAY_MS: '50',
    TOLLGATE_JOB_ATTEMPTS: '3',
    TOLLGATE_QUEUE_PREFIX: `tollgate-test-${randomUUID()}`,
    METRICS_PORT: '0',
    ...env,
  });
  const runtime = createRuntime(config, pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }), {
    githubPacing,
  });
  const server = await runtime.startServer();
  if (worker) runtime.startWorker();
  const { port } = server.address() as AddressInfo;
  const metricsServer = await runtime.startMetricsServer();
  const metricsPort = (metricsServer?.address() as AddressInfo | null)?.port;
  return {
    url: `http://127.0.0.1:${port}`,
    ...(metricsPort ? { metricsUrl: `http://127.0.0.1:${metricsPort}` } : {}),
    config,
    runtime,
    async close() {
      await runtime.queue.obliterate({ force: true }).catch(() => undefined);
      await runtime.close();
      // Everything kept under the queue prefix (chat-ops state, cross-MR route objects) goes with the test.
      await deleteKeys(`${config.queuePrefix}:*`);
    },
  };
}

/** Every key of a test runtime's prefix: the queues, and the chat-ops locks, plans and audit. */
async function deleteKeys(pattern: string): Promise<void> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** Polls until `predicate` holds (or throws with `what` after `timeoutMs`). */
export async function waitFor(
  what: string,
  predicate: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await predicate()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}
