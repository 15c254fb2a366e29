import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;

/** Runs an entry point the way production does and returns its exit code and output. */
function run(
  entry: string,
  env: Record<string, string>,
): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/run.js', entry], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, stdout });
    });
  });
}

const GITLAB = { GITLAB_TOKEN: 'glpat-startupTestToken001', GITLAB_WEBHOOK_SECRET: 'secret-value-1' };

describe('start-up with a bad environment', () => {
  it('stops the server with exit 2 and one stderr line naming PORT', async () => {
    const { code, stderr, stdout } = await run('src/server/main.ts', { ...GITLAB, PORT: 'abc' });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    const lines = stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('PORT');
    expect(lines[0]).toContain('expected a whole number');
    expect(stderr).not.toMatch(/\bat .+:\d+:\d+/); // no stack trace
  });

  it('stops a worker the same way, without echoing secrets', async () => {
    const { code, stderr } = await run('workers/check-worker.ts', {
      ...GITLAB,
      DASHBOARD_USER: 'ops',
      DASHBOARD_PASSWORD: 'short',
    });
    expect(code).toBe(2);
    expect(stderr.trimEnd().split('\n')).toEqual([
      'tollgate worker: configuration error: DASHBOARD_PASSWORD is invalid: expected at least 12 characters',
    ]);
  });

  it('names the missing half of a group', async () => {
    const { code, stderr } = await run('src/server/main.ts', { GITLAB_TOKEN: 'glpat-startupTestToken001' });
    expect(code).toBe(2);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toContain('GITLAB_WEBHOOK_SECRET missing');
    expect(stderr).not.toContain('glpat-startupTestToken001');
  });
});

describe('start-up from a .env file', () => {
  it('reads .env in the working directory (cp .env.example .env) and logs the URL it listens on', async () => {
    const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { testRedisUrl } = await import('../support/redis-url.ts');
    const dir = mkdtempSync(join(tmpdir(), 'tollgate-envfile-'));
    writeFileSync(
      join(dir, '.env'),
      [
        '# as in .env.example: empty values are unset',
        'APP_ID=',
        `GITLAB_TOKEN=${GITLAB.GITLAB_TOKEN}`,
        `GITLAB_WEBHOOK_SECRET=${GITLAB.GITLAB_WEBHOOK_SECRET}`,
        `REDIS_URL=${testRedisUrl}`,
        'PORT=0',
        'HOST=127.0.0.1',
        'TOLLGATE_QUEUE_PREFIX=envfile-test',
        '',
      ].join('\n'),
    );
    try {
      const child = spawn(process.execPath, [join(root, 'bin/run.js'), 'src/server/main.ts'], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      const listening = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no listening line: ${output}`)), 20_000);
        const onData = (d: Buffer) => {
          output += d;
          const line = output.split('\n').find((l) => l.includes('listening on'));
          if (line) {
            clearTimeout(timer);
            resolve(line);
          }
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        child.on('exit', () => reject(new Error(`exited before listening: ${output}`)));
      });
      const entry = JSON.parse(listening) as { msg: string; url: string; gitlabWebhook: string };
      expect(entry.msg).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+$/);
      expect(entry.gitlabWebhook).toBe(`${entry.url}/api/gitlab/webhooks`);
      const health = await fetch(`${entry.url}/healthz`);
      expect(health.status).toBe(200);
      const exited = new Promise((resolve) => child.on('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
