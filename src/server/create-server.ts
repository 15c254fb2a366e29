import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { verify } from '@octokit/webhooks-methods';
import type { Logger } from 'pino';
import { createNodeMiddleware, type Probot } from 'probot';
import type { TollgateMetrics } from '../adapters/prometheus/create-metrics.ts';
import { DASHBOARD_PATH } from './create-queue-dashboard.ts';
import { createGitHubApp, type Enqueue, type EnqueueCommand, type EnqueuePush } from './github-app.ts';
import { parseGitLabEvent } from './inbound/parse-gitlab-event.ts';
import { parseGitLabNoteEvent } from './inbound/parse-gitlab-note-event.ts';
import { parseGitLabPushEvent } from './inbound/parse-gitlab-push-event.ts';
import { limitConcurrentReads, type ReadGate } from './limit-concurrent-reads.ts';
import { BodyTimeoutError, BodyTooLargeError, readBody } from './read-body.ts';
import { safeEqual } from './safe-equal.ts';
import { gitlabProjectPathOf, selectGitLabWebhookSecret } from './select-gitlab-webhook-secret.ts';
import { sendJson } from './send-json.ts';

export const GITHUB_WEBHOOK_PATH = '/api/github/webhooks';
export const GITLAB_WEBHOOK_PATH = '/api/gitlab/webhooks';

export interface ServerDeps {
  enqueue: Enqueue;
  /** Chat-ops: queues a comment's slash commands (absent: comments are ignored). */
  enqueueCommand?: EnqueueCommand;
  /** Queues a push to a watched branch (bypass detection); without it pushes are ignored. */
  enqueuePush?: EnqueuePush;
  /** Resolves when Redis answers; rejects otherwise (readiness). */
  ping: () => Promise<unknown>;
  logger: Logger;
  github?: { probot: Probot; webhookSecret: string };
  /** The global webhook secret and/or secrets per project or group path. */
  gitlab?: { webhookSecret?: string; webhookSecrets?: ReadonlyMap<string, string> };
  /** Counts webhooks when present (/metrics itself is served on METRICS_PORT, never here). */
  metrics?: Pick<TollgateMetrics, 'registry' | 'recordWebhook'>;
  /** Handles everything under /admin/queues (authentication included); absent = 404. */
  dashboard?: Handler;
  /** True once shutdown began: readiness fails so load balancers stop sending traffic. */
  isDraining?: () => boolean;
  /** GET /checks: the details page of a check, behind a signed expiring link. */
  details?: Handler;
  /** Webhook bodies read at once before their signature or token is checked (default 16). */
  maxUnauthenticatedReads?: number;
}

/** 503 with Retry-After: every unauthenticated read slot is taken. */
function sendBusy(request: IncomingMessage, response: ServerResponse): void {
  request.resume();
  response.setHeader('retry-after', '1');
  response.setHeader('connection', 'close');
  sendJson(response, 503, { error: 'too many webhook deliveries being read; retry' });
}

/** `Merge Request Hook` → `merge_request`; anything unexpected collapses to `other` (label cardinality). */
function gitlabEventLabel(header: unknown): string {
  if (typeof header !== 'string' || !/^[A-Za-z ]{1,40} Hook$/.test(header)) return 'other';
  return header
    .replace(/ Hook$/, '')
    .toLowerCase()
    .replace(/ /g, '_');
}

export type Handler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

function githubHandler(
  deps: ServerDeps,
  middleware: Awaited<ReturnType<typeof createNodeMiddleware>>,
  outcomes: Map<string, string>,
  gate: ReadGate,
): Handler {
  const secret = deps.github!.webhookSecret;
  return async (request, response) => {
    const signature = request.headers['x-hub-signature-256'];
    if (typeof signature !== 'string') {
      request.resume();
      deps.metrics?.recordWebhook('github', 'unknown', 'unauthorized');
      sendJson(response, 401, { error: 'signature missing or invalid' });
      return;
    }
    const release = gate.tryEnter();
    if (!release) {
      sendBusy(request, response);
      return;
    }
    let body: string;
    let valid: boolean;
    try {
      body = (await readBody(request)).toString('utf8');
      valid = await verify(secret, body, signature).catch(() => false);
    } finally {
      release();
    }
    if (!valid) {
      deps.logger.warn(
        { deliveryId: request.headers['x-github-delivery'], platform: 'github' },
        'GitHub webhook with a missing or wrong signature',
      );
      deps.metrics?.recordWebhook('github', 'unknown', 'unauthorized');
      sendJson(response, 401, { error: 'signature missing or invalid' });
      return;
    }
    // The body is read already: probot's middleware takes it from `request.body` and verifies again.
    (request as IncomingMessage & { body?: string }).body = body;
    await middleware(request, response, () => sendJson(response, 404, { error: 'not found' }));
    const deliveryId = String(request.headers['x-github-delivery'] ?? '');
    const event = String(request.headers['x-github-event'] ?? 'unknown').replace(/[^a-z_]/g, '') || 'unknown';
    const queued = outcomes.get(deliveryId);
    outcomes.delete(deliveryId);
    deps.metrics?.recordWebhook(
      'github',
      event,
      response.statusCode >= 400 ? 'error' : (queued ?? 'ignored'),
    );
  };
}

/** Longer than the 60 s idle timeout of common load balancers and proxies. */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

function gitlabHandler(deps: ServerDeps, gate: ReadGate): Handler {
  const global = deps.gitlab!.webhookSecret;
  const perProject = deps.gitlab!.webhookSecrets ?? new Map<string, string>();
  const count = (event: string, outcome: string) => deps.metrics?.recordWebhook('gitlab', event, outcome);
  const unauthorized = (response: Parameters<Handler>[1]) => {
    deps.logger.warn({ platform: 'gitlab' }, 'GitLab webhook with a missing or wrong X-Gitlab-Token');
    count('unknown', 'unauthorized');
    sendJson(response, 401, { error: 'token missing or invalid' });
  };
  return async (request, response) => {
    const token = request.headers['x-gitlab-token'];
    // With one secret for everything it is checked before the body is read; with secrets per
    // project the body names the project (bounded read), and its own secret is the one that counts.
    if (typeof token !== 'string' || (perProject.size === 0 && (!global || !safeEqual(token, global)))) {
      request.resume();
      unauthorized(response);
      return;
    }
    const event = gitlabEventLabel(request.headers['x-gitlab-event']);
    // With secrets per project the body is read before the token can be checked: bounded too.
    const release = perProject.size > 0 ? gate.tryEnter() : () => undefined;
    if (!release) {
      sendBusy(request, response);
      return;
    }
    let payload: unknown;
    try {
      payload = JSON.parse((await readBody(request).finally(release)).toString('utf8'));
    } catch (error) {
      if (error instanceof BodyTooLargeError || error instanceof BodyTimeoutError) throw error;
      if (perProject.size > 0) {
        unauthorized(response);
        return;
      }
      count(event, 'invalid');
      sendJson(response, 400, { error: 'body is not JSON' });
      return;
    }
    if (perProject.size > 0) {
      const secret = selectGitLabWebhookSecret(perProject, global, gitlabProjectPathOf(payload));
      if (!secret || !safeEqual(token, secret)) {
        unauthorized(response);
        return;
      }
    }
    const eventHeader = request.headers['x-gitlab-event'];
    if (eventHeader === 'Push Hook' && deps.enqueuePush) {
      await handleGitLabPush(deps, deps.enqueuePush, request, response, payload);
      return;
    }
    if (eventHeader === 'Note Hook' && deps.enqueueCommand) {
      await handleGitLabNote(deps, deps.enqueueCommand, request, response, payload);
      return;
    }
    const decision = parseGitLabEvent(typeof eventHeader === 'string' ? eventHeader : undefined, payload);
    if (decision.action === 'ignore') {
      count(event, 'ignored');
      sendJson(response, 202, { ignored: decision.reason });
      return;
    }
    const header = (name: string) => {
      const value = request.headers[name];
      return typeof value === 'string' && value ? value : undefined;
    };
    const deliveryId =
      header('idempotency-key') ??
      header('x-gitlab-event-uuid') ??
      `${decision.job.project}-${decision.job.number}-${decision.job.headSha}`;
    const log = deps.logger.child({
      deliveryId,
      platform: 'gitlab',
      project: decision.job.project,
      mr: decision.job.number,
    });
    let outcome: string;
    try {
      outcome = await deps.enqueue({ ...decision.job, deliveryId });
    } catch (error) {
      log.error({ err: error }, 'could not queue a GitLab check');
      count(event, 'error');
      sendJson(response, 503, { error: 'queue unavailable; redeliver later' });
      return;
    }
    log.info({ outcome, reason: decision.job.reason }, 'merge request event');
    count(event, outcome);
    sendJson(response, 202, { outcome });
  };
}

async function handleGitLabNote(
  deps: ServerDeps,
  enqueueCommand: EnqueueCommand,
  request: IncomingMessage,
  response: ServerResponse,
  payload: unknown,
): Promise<void> {
  const decision = parseGitLabNoteEvent(payload);
  if (decision.action === 'ignore') {
    sendJson(response, 202, { ignored: decision.reason });
    return;
  }
  const uuid = request.headers['idempotency-key'] ?? request.headers['x-gitlab-event-uuid'];
  const deliveryId = typeof uuid === 'string' && uuid ? uuid : `note-${decision.job.comment.id}`;
  let outcome: string;
  try {
    outcome = await enqueueCommand({ ...decision.job, deliveryId });
  } catch (error) {
    deps.logger.error({ err: error, deliveryId }, 'could not queue a GitLab command');
    sendJson(response, 503, { error: 'queue unavailable; redeliver later' });
    return;
  }
  deps.logger.info(
    { deliveryId, project: decision.job.project, number: decision.job.thread.number, outcome },
    'note command',
  );
  sendJson(response, 202, { outcome });
}

async function handleGitLabPush(
  deps: ServerDeps,
  enqueuePush: EnqueuePush,
  request: IncomingMessage,
  response: ServerResponse,
  payload: unknown,
): Promise<void> {
  const decision = parseGitLabPushEvent('Push Hook', payload);
  if (decision.action === 'ignore') {
    sendJson(response, 202, { ignored: decision.reason });
    return;
  }
  const header = (name: string) => {
    const value = request.headers[name];
    return typeof value === 'string' && value ? value : undefined;
  };
  const { job } = decision;
  const deliveryId =
    header('idempotency-key') ??
    header('x-gitlab-event-uuid') ??
    `${job.project}-push-${job.before}-${job.after}`;
  let outcome: string;
  try {
    outcome = await enqueuePush({ ...job, deliveryId });
  } catch (error) {
    deps.logger.error({ err: error, deliveryId }, 'could not queue a GitLab push');
    sendJson(response, 503, { error: 'queue unavailable; redeliver later' });
    return;
  }
  deps.logger.info({ deliveryId, project: job.project, branch: job.branch, outcome }, 'push event');
  sendJson(response, 202, { outcome });
}

/** One HTTP server: GitHub and GitLab webhooks, liveness and readiness. */
export async function createTollgateServer(deps: ServerDeps): Promise<Server> {
  const routes = new Map<string, Handler>();
  const gate = limitConcurrentReads(deps.maxUnauthenticatedReads ?? 16);
  if (deps.github) {
    // The enqueue outcome of each GitHub delivery, read back once probot's handlers have run (metrics).
    const outcomes = new Map<string, string>();
    const enqueue: typeof deps.enqueue = async (job) => {
      const outcome = await deps.enqueue(job);
      outcomes.set(job.deliveryId, outcome);
      return outcome;
    };
    const middleware = await createNodeMiddleware(
      createGitHubApp({
        enqueue,
        ...(deps.enqueueCommand ? { enqueueCommand: deps.enqueueCommand } : {}),
        ...(deps.enqueuePush ? { enqueuePush: deps.enqueuePush } : {}),
      }),
      {
        probot: deps.github.probot,
        webhooksPath: GITHUB_WEBHOOK_PATH,
      },
    );
    routes.set(`POST ${GITHUB_WEBHOOK_PATH}`, githubHandler(deps, middleware, outcomes, gate));
  }
  if (deps.gitlab) routes.set(`POST ${GITLAB_WEBHOOK_PATH}`, gitlabHandler(deps, gate));
  routes.set('GET /healthz', async (_req, res) => sendJson(res, 200, { status: 'ok' }));
  routes.set('GET /readyz', async (_req, res) => {
    if (deps.isDraining?.()) {
      sendJson(res, 503, { status: 'unavailable', reason: 'shutting down' });
      return;
    }
    try {
      await deps.ping();
      sendJson(res, 200, { status: 'ready' });
    } catch (error) {
      // The error text (host names, addresses, auth failures) goes to the log, not to the public.
      deps.logger.warn({ err: error }, 'readiness: Redis does not answer');
      sendJson(res, 503, { status: 'unavailable', reason: 'redis unavailable' });
    }
  });

  if (deps.details) routes.set('GET /checks', deps.details);
  // /metrics is not served here, on the public webhook port: see createMetricsServer (METRICS_PORT).

  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname.replace(/\/+$/, '') || '/';
    const underDashboard = path === DASHBOARD_PATH || path.startsWith(`${DASHBOARD_PATH}/`);
    const handler = underDashboard ? deps.dashboard : routes.get(`${request.method} ${path}`);
    if (!handler) {
      request.resume();
      sendJson(response, 404, { error: 'not found' });
      return;
    }
    handler(request, response).catch((error: unknown) => {
      if (error instanceof BodyTooLargeError) {
        sendJson(response, 413, { error: error.message });
        return;
      }
      if (error instanceof BodyTimeoutError) {
        if (!response.headersSent) sendJson(response, 408, { error: error.message });
        return;
      }
      deps.logger.error({ err: error }, 'request failed');
      if (!response.headersSent) sendJson(response, 500, { error: 'internal error' });
    });
  });
  // Keep idle connections longer than whatever sits in front (load balancers and proxies keep
  // theirs 60 s; GitHub's sender reuses them too): with Node's default 5 s the server closes an
  // idle connection just as the client sends the next delivery on it, and that delivery fails
  // with "socket hang up" (ECONNRESET). headersTimeout keeps Node's 60 s: since Node 18 it counts
  // from the start of a request, not from the idle time before it.
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  return server;
}
