import { describe, expect, it } from 'vitest';
import { ConfigError, deriveGitHubWebUrl, readEnvConfig } from '../../src/server/read-env-config.ts';
import { configErrorOf } from './config-error-of.ts';

const GITLAB = { GITLAB_TOKEN: 'glpat-x', GITLAB_WEBHOOK_SECRET: 'secret' };

const errorOf = configErrorOf;

describe('readEnvConfig operability settings', () => {
  it('has safe defaults: metrics on, dashboard off, 25 s shutdown, 30 s locks', () => {
    const config = readEnvConfig(GITLAB);
    expect(config).toMatchObject({
      metricsEnabled: true,
      metricsPort: 9464,
      shutdownTimeoutMs: 25_000,
      workerLockDurationMs: 30_000,
      workerStalledIntervalMs: 30_000,
      workerMaxStalledCount: 2,
    });
    expect(config.dashboard).toBeUndefined();
  });

  it('reads the dashboard credentials and switches', () => {
    const config = readEnvConfig({
      ...GITLAB,
      DASHBOARD_USER: 'ops',
      DASHBOARD_PASSWORD: 'long enough password',
      DASHBOARD_READ_ONLY: 'true',
      METRICS_ENABLED: 'false',
      METRICS_PORT: '9100',
      WORKER_STALLED_INTERVAL_MS: '500',
      WORKER_LOCK_DURATION_MS: '1000',
    });
    expect(config.dashboard).toEqual({ user: 'ops', password: 'long enough password', readOnly: true });
    expect(config).toMatchObject({
      metricsEnabled: false,
      metricsPort: 9100,
      workerStalledIntervalMs: 500,
      workerLockDurationMs: 1000,
    });
  });

  it.each([
    [{ DASHBOARD_USER: 'ops' }, 'DASHBOARD_PASSWORD missing'],
    [{ DASHBOARD_USER: 'o:ps', DASHBOARD_PASSWORD: 'long enough password' }, 'DASHBOARD_USER is invalid'],
    [{ METRICS_ENABLED: 'maybe' }, 'METRICS_ENABLED="maybe" is invalid: expected true or false'],
    [{ METRICS_PORT: '70000' }, 'METRICS_PORT="70000" is invalid'],
    [{ SHUTDOWN_TIMEOUT_MS: '-1' }, 'SHUTDOWN_TIMEOUT_MS="-1" is invalid'],
    [{ WORKER_STALLED_INTERVAL_MS: '10' }, 'WORKER_STALLED_INTERVAL_MS="10" is invalid'],
  ])('rejects %o naming the variable', (extra, message) => {
    expect(errorOf({ ...GITLAB, ...(extra as Record<string, string>) })).toContain(message);
  });

  it('never puts the dashboard password in an error', () => {
    expect(errorOf({ ...GITLAB, DASHBOARD_USER: 'ops', DASHBOARD_PASSWORD: 'tiny-pw' })).not.toContain(
      'tiny-pw',
    );
  });
});

describe('GitHub web host (links in comments, issues and rollback replies)', () => {
  const APP = {
    APP_ID: '12',
    PRIVATE_KEY: '-----BEGIN RSA PRIVATE KEY-----\nx\n-----END RSA PRIVATE KEY-----',
    WEBHOOK_SECRET: 'hook',
  };
  it('is github.com by default and derived from GITHUB_API_URL on Enterprise Server and GHE.com', () => {
    expect(readEnvConfig(APP).github?.webUrl).toBe('https://github.com');
    expect(readEnvConfig({ ...APP, GITHUB_API_URL: 'https://ghe.example.com/api/v3' }).github?.webUrl).toBe(
      'https://ghe.example.com',
    );
    expect(readEnvConfig({ ...APP, GITHUB_API_URL: 'https://api.octo.ghe.com' }).github?.webUrl).toBe(
      'https://octo.ghe.com',
    );
    expect(deriveGitHubWebUrl('https://api.github.com')).toBe('https://github.com');
  });
  it('takes GITHUB_URL when set', () => {
    const env = {
      ...APP,
      GITHUB_API_URL: 'https://api.ghe.example.com',
      GITHUB_URL: 'https://code.example.com/',
    };
    expect(readEnvConfig(env).github?.webUrl).toBe('https://code.example.com');
  });
});
