import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { verify } from '@octokit/webhooks-methods';
import type { Logger } from 'pino';
import { createNodeMiddleware, type Probot } from 'probot';
import { parseGitLabEvent } from '../platform/gitlab/parse-gitlab-event.ts';
import { parseGitLabNoteEvent } from '../platform/gitlab/parse-gitlab-note-event.ts';
import { parseGitLabPushEvent } from '../platform/gitlab/parse-gitlab-push-event.ts';
import { createGitHubApp, type Enqueue, type EnqueueCommand, type EnqueuePush } from './github-app.ts';
import { BodyTooLargeError, readBody } from './read-body.ts';
import { safeEqual } from './safe-equal.ts';
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
  gitlab?: { webhookSecret: string };
}

type Handler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

function githubHandler(
  deps: ServerDeps,
  middleware: Awaited<ReturnType<typeof createNodeMiddleware>>,
): Handler {
  const secret = deps.github!.webhookSecret;
  return async (request, response) => {
    const signature = request.headers['x-hub-signature-256'];
    const body = (await readBody(request)).toString('utf8');
    if (typeof signature !== 'string' || !(await verify(secret, body, signature).catch(() => false))) {
      deps.logger.warn(
        { deliveryId: request.headers['x-github-delivery'] },
        'GitHub webhook with a missing or wrong signature',
      );
      sendJson(response, 401, { error: 'signature missing or invalid' });
      return;
    }
    // The body is read already: probot's middleware takes it from `request.body` and verifies again.
    (request as IncomingMessage & { body?: string }).body = body;
    await middleware(request, response, () => sendJson(response, 404, { error: 'not found' }));
  };
}

function gitlabHandler(deps: ServerDeps): Handler {
  const secret = deps.gitlab!.webhookSecret;
  return async (request, response) => {
    const token = request.headers['x-gitlab-token'];
    if (typeof token !== 'string' || !safeEqual(token, secret)) {
      request.resume();
      deps.logger.warn('GitLab webhook with a missing or wrong X-Gitlab-Token');
      sendJson(response, 401, { error: 'token missing or invalid' });
      return;
    }
    let payload: unknown;
    try {
      payload = JSON.parse((await readBody(request)).toString('utf8'));
    } catch (error) {
      if (error instanceof BodyTooLargeError) throw error;
      sendJson(response, 400, { error: 'body is not JSON' });
      return;
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
    let outcome: string;
    try {
      outcome = await deps.enqueue({ ...decision.job, deliveryId });
    } catch (error) {
      deps.logger.error({ err: error, deliveryId }, 'could not queue a GitLab check');
      sendJson(response, 503, { error: 'queue unavailable; redeliver later' });
      return;
    }
    deps.logger.info(
      { deliveryId, project: decision.job.project, mr: decision.job.number, outcome },
      'merge request event',
    );
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
  if (deps.github) {
    const middleware = await createNodeMiddleware(
      createGitHubApp({
        enqueue: deps.enqueue,
        ...(deps.enqueueCommand ? { enqueueCommand: deps.enqueueCommand } : {}),
        ...(deps.enqueuePush ? { enqueuePush: deps.enqueuePush } : {}),
      }),
      {
        probot: deps.github.probot,
        webhooksPath: GITHUB_WEBHOOK_PATH,
      },
    );
    routes.set(`POST ${GITHUB_WEBHOOK_PATH}`, githubHandler(deps, middleware));
  }
  if (deps.gitlab) routes.set(`POST ${GITLAB_WEBHOOK_PATH}`, gitlabHandler(deps));
  routes.set('GET /healthz', async (_req, res) => sendJson(res, 200, { status: 'ok' }));
  routes.set('GET /readyz', async (_req, res) => {
    try {
      await deps.ping();
      sendJson(res, 200, { status: 'ready' });
    } catch (error) {
      sendJson(res, 503, { status: 'unavailable', reason: `redis: ${(error as Error).message}` });
    }
  });

  return createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname.replace(/\/+$/, '') || '/';
    const handler = routes.get(`${request.method} ${path}`);
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
      deps.logger.error({ err: error }, 'request failed');
      if (!response.headersSent) sendJson(response, 500, { error: 'internal error' });
    });
  });
}
