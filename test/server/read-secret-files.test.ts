import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, readEnvConfig } from '../../src/server/read-env-config.ts';
import { testRedisUrl } from '../support/redis-url.ts';
import { generatePrivateKey } from '../support-github.ts';
import { configErrorOf } from './config-error-of.ts';

const dir = mkdtempSync(join(tmpdir(), 'tollgate-secrets-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text, { mode: 0o600 });
  return path;
};
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const errorOf = configErrorOf;

describe('credentials from files (*_FILE)', () => {
  it('reads every credential of the worker from a file, so none is in its environment', () => {
    const key = generatePrivateKey();
    const config = readEnvConfig({
      APP_ID: '12',
      PRIVATE_KEY_FILE: file('key.pem', key),
      WEBHOOK_SECRET_FILE: file('gh-hook', 'gh-hook-secret\n'),
      GITLAB_TOKEN_FILE: file('gl-token', 'glpat-from-a-file\n'),
      GITLAB_WEBHOOK_SECRET_FILE: file('gl-hook', 'gl-hook-secret'),
      REDIS_PASSWORD_FILE: file('redis', 'p@ss:w/rd\n'),
      DASHBOARD_USER: 'ops',
      DASHBOARD_PASSWORD_FILE: file('dashboard', 'a dashboard password\n'),
    });
    // one trailing newline is dropped, as from every file
    expect(config.github).toMatchObject({
      appId: '12',
      privateKey: key.replace(/\n$/, ''),
      webhookSecret: 'gh-hook-secret',
    });
    expect(config.gitlab).toMatchObject({ token: 'glpat-from-a-file', webhookSecret: 'gl-hook-secret' });
    expect(config.dashboard?.password).toBe('a dashboard password');
    expect(new URL(config.redisUrl).password).toBe(encodeURIComponent('p@ss:w/rd'));
  });

  it('still takes PRIVATE_KEY_PATH, the older name', () => {
    const key = generatePrivateKey();
    const config = readEnvConfig({
      APP_ID: '1',
      PRIVATE_KEY_PATH: file('old.pem', key),
      WEBHOOK_SECRET: 's',
    });
    expect(config.github?.privateKey).toBe(key.replace(/\n$/, ''));
  });

  it.each([
    [
      { GITLAB_TOKEN: 'glpat-inline', GITLAB_TOKEN_FILE: '/x' },
      'GITLAB_TOKEN and GITLAB_TOKEN_FILE are both set',
    ],
    [
      { GITLAB_TOKEN: 'glpat-x', GITLAB_WEBHOOK_SECRET_FILE: '/nonexistent/secret' },
      'GITLAB_WEBHOOK_SECRET_FILE is invalid: cannot read /nonexistent/secret (ENOENT)',
    ],
    [
      { GITLAB_TOKEN: 'glpat-x', GITLAB_WEBHOOK_SECRET_FILE: 'EMPTY' },
      'GITLAB_WEBHOOK_SECRET_FILE is invalid:',
    ],
    [
      { REDIS_URL: 'redis://:inline@127.0.0.1:6379', REDIS_PASSWORD: 'other' },
      'REDIS_URL has a password and REDIS_PASSWORD is set as well',
    ],
  ])('rejects %j with one line naming the variable', (env, message) => {
    const resolved = Object.fromEntries(
      Object.entries(env).map(([k, v]) => [k, v === 'EMPTY' ? file('empty', '\n') : v]),
    );
    const text = errorOf({
      APP_ID: '1',
      PRIVATE_KEY: generatePrivateKey(),
      WEBHOOK_SECRET: 's',
      ...resolved,
    });
    expect(text).toContain(message);
    expect(text).not.toContain('inline');
  });
});

describe('Redis with a password (ACL user)', () => {
  const user = `tollgate-test-${randomBytes(4).toString('hex')}`;
  const password = randomBytes(16).toString('hex');
  const admin = new Redis(testRedisUrl, { maxRetriesPerRequest: 1 });
  afterAll(async () => {
    await admin.acl('DELUSER', user);
    admin.disconnect();
  });

  it('connects as REDIS_USERNAME with REDIS_PASSWORD_FILE, and a wrong password is refused', async () => {
    await admin.acl('SETUSER', user, 'on', `>${password}`, '~*', '&*', '+@all');
    const config = readEnvConfig({
      GITLAB_TOKEN: 'glpat-x',
      GITLAB_WEBHOOK_SECRET: 's',
      REDIS_URL: testRedisUrl,
      REDIS_USERNAME: user,
      REDIS_PASSWORD_FILE: file('redis-ok', `${password}\n`),
    });
    const client = new Redis(config.redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
    await client.connect();
    expect(await client.acl('WHOAMI')).toBe(user);
    client.disconnect();
    const wrong = readEnvConfig({
      GITLAB_TOKEN: 'glpat-x',
      GITLAB_WEBHOOK_SECRET: 's',
      REDIS_URL: testRedisUrl.replace('redis://', `redis://${user}:wrong@`),
    });
    const refused = new Redis(wrong.redisUrl, {
      maxRetriesPerRequest: 0,
      lazyConnect: true,
      retryStrategy: () => null,
    });
    const failed = new Promise<Error>((resolve) => refused.once('error', resolve));
    refused.connect().catch(() => undefined);
    expect((await failed).message).toMatch(/WRONGPASS/);
    refused.disconnect();
  });
});
