import { describe, expect, it } from 'vitest';
import { ConfigError, readEnvConfig } from '../../src/config/read-env-config.ts';

const GITLAB = { GITLAB_TOKEN: 'glpat-x', GITLAB_WEBHOOK_SECRET: 's' };

describe('readEnvConfig', () => {
  it('applies documented defaults', () => {
    const config = readEnvConfig(GITLAB);
    expect(config).toMatchObject({
      redisUrl: 'redis://127.0.0.1:6379',
      port: 3000,
      debounceMs: 3000,
      gitlab: { url: 'https://gitlab.com', token: 'glpat-x', webhookSecret: 's' },
    });
    expect(config.github).toBeUndefined();
  });

  it.each([
    [{ ...GITLAB, PORT: 'abc' }, /^PORT="abc" is invalid: expected a whole number from 0 to 65535$/],
    [{ ...GITLAB, REDIS_URL: 'http://x' }, /^REDIS_URL is invalid: expected a redis: or rediss: URL$/],
    [{ GITLAB_TOKEN: 'x' }, /^GITLAB_WEBHOOK_SECRET missing/],
    [{ APP_ID: '1', WEBHOOK_SECRET: 'x' }, /^PRIVATE_KEY missing/],
    [
      { APP_ID: 'abc', WEBHOOK_SECRET: 'x', PRIVATE_KEY: '-----BEGIN RSA PRIVATE KEY-----\nx' },
      /^APP_ID is invalid/,
    ],
    [{}, /^no platform configured/],
    [{ ...GITLAB, LOG_LEVEL: 'loud' }, /^LOG_LEVEL is invalid/],
  ])('rejects %j with one line naming the variable', (env, message) => {
    expect(() => readEnvConfig(env)).toThrow(ConfigError);
    expect(() => readEnvConfig(env)).toThrow(message);
  });

  it('reads a private key with escaped newlines (as .env files hold it)', () => {
    const config = readEnvConfig({
      APP_ID: '42',
      WEBHOOK_SECRET: 'w',
      PRIVATE_KEY: '-----BEGIN RSA PRIVATE KEY-----\\nabc\\n-----END RSA PRIVATE KEY-----',
    });
    expect(config.github?.privateKey).toBe(
      '-----BEGIN RSA PRIVATE KEY-----\nabc\n-----END RSA PRIVATE KEY-----',
    );
  });
});
