import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/start-test-runtime.ts';

// A proxy or load balancer in front (or GitHub's sender) keeps a connection open and sends the
// next delivery on it after a pause. With Node's default 5 s keep-alive the server has closed it
// by then, and the delivery fails with "socket hang up". The server keeps idle connections for
// longer than the usual 60 s proxy idle timeout.
let app: TestRuntime;
beforeAll(async () => {
  app = await startTestRuntime(
    { GITLAB_TOKEN: 'glpat-keepalive', GITLAB_WEBHOOK_SECRET: 'keepalive-secret' },
    { worker: false },
  );
});
afterAll(async () => {
  await app.close();
});

/** Sends one request on `socket` and resolves with the raw response head. */
function ask(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (d: Buffer) => {
      seen += d;
      if (seen.includes('\r\n\r\n') && /\r\n\r\n[\s\S]*\}/.test(seen)) {
        socket.off('data', onData);
        resolve(seen);
      }
    };
    socket.on('data', onData);
    socket.once('close', () =>
      reject(new Error(`connection closed by the server (after: ${JSON.stringify(seen)})`)),
    );
    socket.write(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n`);
  });
}

describe('keep-alive connections', () => {
  it('announce a keep-alive longer than a proxy idle timeout, and still answer after 6 s idle', async () => {
    const { port } = new URL(app.url);
    const socket = connect(Number(port), '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    try {
      const first = await ask(socket);
      expect(first).toMatch(/^HTTP\/1\.1 200/);
      expect(first).toMatch(/\r\nKeep-Alive: timeout=65\r\n/i);
      await new Promise((resolve) => setTimeout(resolve, 6_000)); // past Node's default 5 s
      expect(await ask(socket)).toMatch(/^HTTP\/1\.1 200/);
    } finally {
      socket.destroy();
    }
  }, 20_000);
});
