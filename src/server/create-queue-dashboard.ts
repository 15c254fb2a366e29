import type { IncomingMessage, ServerResponse } from 'node:http';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { HonoAdapter } from '@bull-board/hono';
import { getRequestListener } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Queue } from 'bullmq';
import { Hono } from 'hono';
import { safeEqual } from './safe-equal.ts';

export const DASHBOARD_PATH = '/admin/queues';

export interface DashboardOptions {
  user: string;
  password: string;
  /** Hide the retry/remove/clean buttons. */
  readOnly: boolean;
}

/**
 * Checks `Authorization: Basic ...` against the configured credentials. Both parts are always
 * compared, in constant time, so the answer's timing tells nothing about which part was wrong.
 */
export function checkBasicAuth(header: string | undefined, user: string, password: string): boolean {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  const decoded = match ? Buffer.from(match[1]!, 'base64').toString('utf8') : '';
  const colon = decoded.indexOf(':');
  const givenUser = colon >= 0 ? decoded.slice(0, colon) : '';
  const givenPassword = colon >= 0 ? decoded.slice(colon + 1) : '';
  const userOk = safeEqual(givenUser, user);
  const passwordOk = safeEqual(givenPassword, password);
  return Boolean(match) && colon >= 0 && userOk && passwordOk;
}

/**
 * The bull-board queue dashboard as a plain node:http handler for everything under /admin/queues,
 * behind HTTP basic authentication. bull-board's Hono adapter serves the UI; @hono/node-server
 * turns the Hono app into a (request, response) listener.
 */
export function createQueueDashboard(
  queues: readonly Queue[],
  options: DashboardOptions,
): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  const serverAdapter = new HonoAdapter(serveStatic);
  createBullBoard({
    queues: queues.map((q) => new BullMQAdapter(q, { readOnlyMode: options.readOnly })),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Tollgate queues' } },
  });
  serverAdapter.setBasePath(DASHBOARD_PATH);
  const app = new Hono();
  app.route(DASHBOARD_PATH, serverAdapter.registerPlugin());
  const listener = getRequestListener(app.fetch);
  return async (request, response) => {
    if (!checkBasicAuth(request.headers.authorization, options.user, options.password)) {
      request.resume();
      response.writeHead(401, {
        'www-authenticate': 'Basic realm="tollgate dashboard", charset="UTF-8"',
        'content-type': 'text/plain; charset=utf-8',
      });
      response.end('authentication required\n');
      return;
    }
    await listener(request, response);
  };
}
