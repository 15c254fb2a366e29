/**
 * Webhook ack latency: 2,000 signed GitHub deliveries at 200 a second (Poisson arrivals, loopback
 * only) to the real server process on real Redis, against the floor of the same load on a bare
 * node:http server that answers 202 at once (same client, same run). The client keeps
 * connections alive the way a reverse proxy does: it reuses an idle connection without heeding
 * the server's `Keep-Alive: timeout` hint (Node's own agent heeds it, GitHub's sender and most
 * proxies do not), so a server that closes idle connections too early shows up as "socket hang up".
 *
 * Goals (exit 1 when one is missed): no failed request; p99 well inside the platform's 10 s
 * delivery budget; p99 at most 20 ms above the floor's p99 (the server's own share; 20 ms is the
 * issue's goal on a quiet machine, and the floor absorbs what a loaded machine adds).
 * Stops by itself: bounded count, 10 s per request, 60 s in all.
 * Run: REDIS_URL=redis://127.0.0.1:6379 node bin/run.js bench/webhook-ack.bench.ts
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import { Redis } from 'ioredis';

const RATE = Number(process.env.BENCH_ACK_RATE ?? 200);
const COUNT = Number(process.env.BENCH_ACK_COUNT ?? 2_000);
const BUDGET_MS = 10_000; // GitHub drops a delivery not answered within 10 s
const OWN_SHARE_GOAL_MS = 20;
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `tollgate-bench-ack-${process.pid}`;
const secret = 'bench-webhook-secret';
const root = new URL('../', import.meta.url).pathname;

const hardStop = setTimeout(() => {
  process.stderr.write('webhook-ack bench: over 60 s, stopping\n');
  cleanup().finally(() => process.exit(1));
}, 60_000);

/** Reuses idle connections like a proxy: no free-socket timeout from the server's hint. */
class ProxyLikeAgent extends Agent {
  override keepSocketAlive(socket: Socket): boolean {
    socket.setKeepAlive(true, 1_000);
    socket.unref();
    return true;
  }
}

const require = createRequire(import.meta.url);
const examples = require('@octokit/webhooks-examples/api.github.com/index.json') as {
  name: string;
  examples: Record<string, unknown>[];
}[];
const template = examples
  .find((g) => g.name === 'pull_request')!
  .examples.find((e) => e.action === 'opened' && e.installation)!;

function delivery(i: number): { body: string; headers: Record<string, string> } {
  const payload = structuredClone(template) as { pull_request: { head: { sha: string }; number: number } };
  payload.pull_request.head.sha = randomBytes(20).toString('hex');
  payload.pull_request.number = 1 + (i % 50);
  const body = JSON.stringify(payload);
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      'x-github-event': 'pull_request',
      'x-github-delivery': randomUUID(),
      'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
      'user-agent': 'GitHub-Hookshot/bench',
    },
  };
}

interface Run {
  latencies: number[];
  failures: Map<string, number>;
  statuses: Map<number, number>;
}

function send(url: URL, agent: Agent, i: number, run: Run): Promise<void> {
  const { body, headers } = delivery(i);
  const started = performance.now();
  return new Promise((resolve) => {
    const fail = (reason: string) => {
      run.failures.set(reason, (run.failures.get(reason) ?? 0) + 1);
      resolve();
    };
    const req = request(url, { method: 'POST', agent, headers, timeout: BUDGET_MS }, (res) => {
      res.resume();
      res.on('end', () => {
        run.statuses.set(res.statusCode ?? 0, (run.statuses.get(res.statusCode ?? 0) ?? 0) + 1);
        if ((res.statusCode ?? 0) >= 300) fail(`HTTP ${res.statusCode}`);
        else {
          run.latencies.push(performance.now() - started);
          resolve();
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${BUDGET_MS} ms`)));
    req.on('error', (error) => fail(error.message));
    req.end(body);
  });
}

/** COUNT requests at RATE a second, exponential gaps (bursts happen, as with real senders). */
async function load(url: URL): Promise<Run> {
  const agent = new ProxyLikeAgent({ keepAlive: true, maxSockets: 256, scheduling: 'lifo' });
  const run: Run = { latencies: [], failures: new Map(), statuses: new Map() };
  const pending: Promise<void>[] = [];
  const start = performance.now();
  let due = 0;
  for (let i = 0; i < COUNT; i++) {
    due += (-Math.log(1 - Math.random()) * 1000) / RATE;
    const wait = start + due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    pending.push(send(url, agent, i, run));
  }
  await Promise.all(pending);
  agent.destroy();
  return run;
}

function percentile(sorted: number[], p: number): number {
  return sorted.length
    ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
    : Number.NaN;
}

function summarize(name: string, run: Run) {
  const sorted = [...run.latencies].sort((a, b) => a - b);
  const failed = [...run.failures.values()].reduce((a, b) => a + b, 0);
  const row = {
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    failed,
  };
  process.stdout.write(
    `${name.padEnd(28)} p50 ${row.p50.toFixed(1).padStart(7)} ms  p95 ${row.p95.toFixed(1).padStart(7)} ms  p99 ${row.p99.toFixed(1).padStart(7)} ms  max ${(sorted.at(-1) ?? Number.NaN).toFixed(1).padStart(7)} ms  failed ${failed}/${COUNT}${failed ? ` (${[...run.failures].map(([k, v]) => `${k}: ${v}`).join('; ')})` : ''}\n`,
  );
  return row;
}

let server: ChildProcess | undefined;

/** CPU time (user + system) of a process so far, in ms, from /proc (Linux); undefined elsewhere. */
function cpuMs(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks of 10 ms
  } catch {
    return undefined;
  }
}
let floor: ReturnType<typeof createServer> | undefined;

async function cleanup() {
  server?.kill('SIGKILL');
  floor?.close();
  floor?.closeAllConnections();
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  redis.on('error', () => undefined);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } catch {
    // nothing to clean when Redis is gone
  } finally {
    redis.disconnect();
  }
}

/** The server process as `npm start` runs it; resolves with its webhook URL. */
function startServer(): Promise<URL> {
  const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
    type: 'pkcs1',
    format: 'pem',
  }) as string;
  server = spawn(process.execPath, ['bin/run.js', 'src/server/main.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      REDIS_URL: redisUrl,
      PORT: '0',
      HOST: '127.0.0.1',
      APP_ID: '1',
      PRIVATE_KEY: privateKey,
      WEBHOOK_SECRET: secret,
      TOLLGATE_QUEUE_PREFIX: prefix,
      METRICS_ENABLED: 'false',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (d: Buffer) => {
      seen += d;
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(seen);
      if (match) resolve(new URL('/api/github/webhooks', match[1]));
      if (seen.length > 100_000) seen = seen.slice(-10_000);
    };
    server!.stdout!.on('data', onData);
    server!.stderr!.on('data', onData);
    server!.once('exit', (code) => reject(new Error(`server exited (${code}): ${seen.slice(-2000)}`)));
  });
}

async function startFloor(): Promise<URL> {
  floor = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(202, { 'content-type': 'application/json' });
      res.end('{"queued":true}');
    });
  });
  await new Promise<void>((resolve) => floor!.listen(0, '127.0.0.1', resolve));
  return new URL(`http://127.0.0.1:${(floor.address() as { port: number }).port}/`);
}

try {
  const tollgate = await startServer();
  const bare = await startFloor();
  // Warm both up (JIT, the first Redis round trips), then measure.
  await Promise.all(
    Array.from({ length: 50 }, (_, i) =>
      send(tollgate, new Agent(), i, { latencies: [], failures: new Map(), statuses: new Map() }),
    ),
  );
  process.stdout.write(`${COUNT} signed deliveries at ${RATE}/s, loopback, budget ${BUDGET_MS} ms\n`);
  const floorRow = summarize('floor (bare node:http 202)', await load(bare));
  const cpuBefore = cpuMs(server?.pid);
  const serverRow = summarize('tollgate server (enqueue)', await load(tollgate));
  const cpuAfter = cpuMs(server?.pid);
  if (cpuBefore !== undefined && cpuAfter !== undefined) {
    const perDelivery = (cpuAfter - cpuBefore) / COUNT;
    process.stdout.write(
      `server CPU per delivery ${perDelivery.toFixed(2)} ms: ${RATE}/s needs ${((perDelivery * RATE) / 10).toFixed(0)}% of one core\n`,
    );
  }
  const ownShare = serverRow.p99 - floorRow.p99;
  const goals = [
    { name: 'no failed request', ok: serverRow.failed === 0 },
    {
      name: `p99 ${serverRow.p99.toFixed(1)} ms inside the ${BUDGET_MS} ms budget`,
      ok: serverRow.p99 < BUDGET_MS,
    },
    {
      name: `p99 above the floor ${ownShare.toFixed(1)} ms ≤ ${OWN_SHARE_GOAL_MS} ms`,
      ok: ownShare <= OWN_SHARE_GOAL_MS,
    },
  ];
  for (const g of goals) process.stdout.write(`${g.ok ? 'ok  ' : 'MISS'} ${g.name}\n`);
  process.exitCode = goals.every((g) => g.ok) ? 0 : 1;
} catch (error) {
  process.stderr.write(`webhook-ack bench failed: ${(error as Error).message}\n`);
  process.exitCode = 1;
} finally {
  clearTimeout(hardStop);
  await cleanup();
}
