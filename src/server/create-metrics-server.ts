import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';
import { sendJson } from './send-json.ts';

/** A process's own small listener (METRICS_PORT): GET /metrics for Prometheus, GET /healthz for the orchestrator. */
export function createMetricsServer(registry: Registry): Server {
  return createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    request.resume();
    if (request.method === 'GET' && path === '/healthz') {
      sendJson(response, 200, { status: 'ok' });
      return;
    }
    if (request.method !== 'GET' || path !== '/metrics') {
      sendJson(response, 404, { error: 'not found' });
      return;
    }
    registry.metrics().then(
      (text) => {
        response.writeHead(200, { 'content-type': registry.contentType });
        response.end(text);
      },
      () => sendJson(response, 500, { error: 'metrics unavailable' }),
    );
  });
}
