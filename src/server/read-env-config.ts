import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { ArchiveSettings } from '../adapters/archive/archive-settings.ts';
import type { GitHubSettings } from '../adapters/github/github-settings.ts';
import type { GitLabSettings } from '../adapters/gitlab/gitlab-settings.ts';
import {
  DEFAULT_RENDER_ALLOW,
  type RenderRunnerSettings,
  type RenderSandboxMode,
} from '../adapters/render/create-render-runner.ts';
import { ConfigError } from './config-error.ts';
import { readArchiveSettings } from './read-archive-settings.ts';

export type { GitHubSettings, GitLabSettings };
export { ConfigError };

/**
 * The web host of a GitHub API URL: `https://api.github.com` → `https://github.com`,
 * GitHub Enterprise Server `https://HOST/api/v3` → `https://HOST`, GHE.com
 * `https://api.SUB.ghe.com` → `https://SUB.ghe.com`.
 */
export function deriveGitHubWebUrl(apiUrl: string | undefined): string {
  if (!apiUrl) return 'https://github.com';
  const parsed = new URL(apiUrl);
  if (parsed.hostname === 'api.github.com') return 'https://github.com';
  if (/^api\.[^.]+\.ghe\.com$/.test(parsed.hostname)) return `${parsed.protocol}//${parsed.host.slice(4)}`;
  const path = parsed.pathname.replace(/\/+$/, '').replace(/\/api\/v3$/, '');
  return `${parsed.protocol}//${parsed.host}${path}`;
}

/** The check details page: where the server is reached, and the key that signs its links. */
export interface DetailsSettings {
  publicUrl: string;
  secret: string;
  ttlSeconds: number;
}

export interface EnvConfig {
  redisUrl: string;
  /** Set when TOLLGATE_PUBLIC_URL and TOLLGATE_DETAILS_SECRET are: checks link to a details page. */
  details?: DetailsSettings;
  port: number;
  host: string;
  logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
  github?: GitHubSettings;
  gitlab?: GitLabSettings;
  /** Wait before running a check so a burst of pushes runs once. */
  debounceMs: number;
  jobAttempts: number;
  /** First retry delay of a failed job (doubles each attempt). */
  retryDelayMs: number;
  workerConcurrency: number;
  /** Prefix of every BullMQ key in Redis (several deployments can share one Redis). */
  queuePrefix: string;
  /** Serve Prometheus metrics at /metrics on METRICS_PORT (server and workers; never on PORT). */
  metricsEnabled: boolean;
  /** Port of each process's own /metrics and /healthz listener. */
  metricsPort: number;
  /** How often the reconciler re-queues merge requests without a final status (0: never). */
  reconcileEveryMs: number;
  /** GitLab projects the reconciler watches; empty: every project the token can reach as Developer. */
  gitlabProjects: string[];
  /** The queue dashboard at /admin/queues; absent (disabled) unless both credentials are set. */
  dashboard?: DashboardSettings;
  /** How long SIGTERM waits for running jobs and requests before giving them back. */
  shutdownTimeoutMs: number;
  /** A job's lock lives this long unless its worker renews it; after that it counts as stalled. */
  workerLockDurationMs: number;
  /** How often workers look for stalled jobs (a worker that died mid-job) and queue them again. */
  workerStalledIntervalMs: number;
  /** Times a job may stall before it fails for good. */
  workerMaxStalledCount: number;
  /** How the worker reads reviewed trees (commit archives by default) and their limits. */
  archive?: ArchiveSettings;
  /** How often a pending rollback plan's comment is polled for the requester's 👍. */
  confirmPollMs: number;
  /** How render commands run: the sandbox (required by default), the program allow-list. */
  render: RenderSettings;
  /** Webhook bodies read at once before they are authenticated (more: 503 with Retry-After). */
  webhookReadSlots: number;
}

export type RenderSettings = Omit<RenderRunnerSettings, 'secrets'>;

export interface DashboardSettings {
  user: string;
  password: string;
  /** Hide the retry/remove/clean buttons. */
  readOnly: boolean;
}

type Env = Readonly<Record<string, string | undefined>>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(
      `${name}=${JSON.stringify(raw)} is invalid: expected a whole number from ${min} to ${max}`,
    );
  }
  return value;
}

function url(env: Env, name: string, fallback: string | undefined, protocols: string[]): string | undefined {
  const raw = env[name] || fallback;
  if (raw === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`${name} is invalid: expected a URL such as ${protocols[0]}//host`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(`${name} is invalid: expected a ${protocols.join(' or ')} URL`);
  }
  return raw.replace(/\/+$/, '');
}

/** All-or-nothing groups: half a GitHub or GitLab configuration is an error, not a silent disable. */
function group(env: Env, names: string[], label: string): boolean {
  const set = names.filter((n) => env[n]);
  if (set.length > 0 && set.length < names.length) {
    const missing = names.filter((n) => !env[n]);
    throw new ConfigError(`${missing.join(', ')} missing: ${label} needs ${names.join(', ')} together`);
  }
  return set.length === names.length;
}

/** Credentials that may come from a file instead (`NAME_FILE`), so they are not in the environment. */
export const SECRET_FILE_VARIABLES = [
  'PRIVATE_KEY',
  'WEBHOOK_SECRET',
  'GITLAB_TOKEN',
  'GITLAB_WEBHOOK_SECRET',
  'REDIS_PASSWORD',
  'DASHBOARD_PASSWORD',
  'GITHUB_TOKEN',
] as const;

/**
 * The environment with every `NAME_FILE` read into `NAME` (a Docker or Kubernetes secret mounted
 * as a file; one trailing newline dropped). Setting both is an error, and so is a file that
 * cannot be read or is empty; the message names the variable and the path, never the content.
 * `PRIVATE_KEY_PATH` is the older name of `PRIVATE_KEY_FILE`.
 */
export function readSecretFiles(env: Env): Env {
  const out: Record<string, string | undefined> = { ...env };
  for (const name of SECRET_FILE_VARIABLES) {
    const fileVariable =
      name === 'PRIVATE_KEY' && !env.PRIVATE_KEY_FILE && env.PRIVATE_KEY_PATH
        ? 'PRIVATE_KEY_PATH'
        : `${name}_FILE`;
    const path = env[fileVariable];
    if (!path) continue;
    if (env[name]) throw new ConfigError(`${name} and ${fileVariable} are both set: set one of them`);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new ConfigError(
        `${fileVariable} is invalid: cannot read ${path} (${(error as NodeJS.ErrnoException).code})`,
      );
    }
    text = text.replace(/\r?\n$/, '');
    if (text === '') throw new ConfigError(`${fileVariable} is invalid: ${path} is empty`);
    out[name] = text;
  }
  return out;
}

const GITLAB_PATH = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/;

/**
 * GITLAB_WEBHOOK_SECRETS_FILE: a YAML (or JSON) map from a project or group path to the secret
 * token of its webhook, e.g. `ops/cafe-deploy: 5f…` and `payments: 9a…`. Errors name the file and
 * the path, never a secret.
 */
export function readGitLabWebhookSecrets(path: string): ReadonlyMap<string, string> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `GITLAB_WEBHOOK_SECRETS_FILE is invalid: cannot read ${path} (${(error as NodeJS.ErrnoException).code})`,
    );
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (error) {
    const line = (error as { linePos?: { line: number }[] }).linePos?.[0]?.line;
    throw new ConfigError(
      `GITLAB_WEBHOOK_SECRETS_FILE is invalid: ${path}${line ? `:${line}` : ''} is not YAML`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new ConfigError(
      `GITLAB_WEBHOOK_SECRETS_FILE is invalid: ${path} must map project or group paths to secrets`,
    );
  const secrets = new Map<string, string>();
  for (const [key, value] of Object.entries(parsed)) {
    const project = key.replace(/^\/+|\/+$/g, '');
    if (!GITLAB_PATH.test(project))
      throw new ConfigError(
        `GITLAB_WEBHOOK_SECRETS_FILE is invalid: ${JSON.stringify(key)} in ${path} is not a project or group path`,
      );
    if (typeof value !== 'string' || value.length < 8)
      throw new ConfigError(
        `GITLAB_WEBHOOK_SECRETS_FILE is invalid: the secret of ${project} in ${path} must be a string of at least 8 characters`,
      );
    secrets.set(project, value);
  }
  return secrets;
}

/** REDIS_URL with REDIS_USERNAME / REDIS_PASSWORD(_FILE) put in; credentials in the URL work too. */
export function readRedisUrl(env: Env): string {
  const raw = url(env, 'REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:'])!;
  if (!env.REDIS_PASSWORD && !env.REDIS_USERNAME) return raw;
  const parsed = new URL(raw);
  if (parsed.password)
    throw new ConfigError('REDIS_URL has a password and REDIS_PASSWORD is set as well: set one of them');
  if (env.REDIS_USERNAME) parsed.username = encodeURIComponent(env.REDIS_USERNAME);
  if (env.REDIS_PASSWORD) parsed.password = encodeURIComponent(env.REDIS_PASSWORD);
  return parsed.href.replace(/\/+$/, '');
}

function readPrivateKey(env: Env): string | undefined {
  const key = env.PRIVATE_KEY?.replace(/\\n/g, '\n');
  if (key && !key.includes('-----BEGIN')) {
    throw new ConfigError('PRIVATE_KEY is invalid: expected the PEM text of the GitHub App private key');
  }
  return key;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${name}=${JSON.stringify(env[name])} is invalid: expected true or false`);
}

/** Never echo the password: only say what is wrong with it. */
export const MIN_DASHBOARD_PASSWORD_LENGTH = 12;

function readDashboard(env: Env): DashboardSettings | undefined {
  if (!group(env, ['DASHBOARD_USER', 'DASHBOARD_PASSWORD'], 'the queue dashboard')) return undefined;
  if (env.DASHBOARD_USER!.includes(':'))
    throw new ConfigError('DASHBOARD_USER is invalid: expected a user name without ":"');
  if (env.DASHBOARD_PASSWORD!.length < MIN_DASHBOARD_PASSWORD_LENGTH) {
    throw new ConfigError(
      `DASHBOARD_PASSWORD is invalid: expected at least ${MIN_DASHBOARD_PASSWORD_LENGTH} characters`,
    );
  }
  return {
    user: env.DASHBOARD_USER!,
    password: env.DASHBOARD_PASSWORD!,
    // Read-only unless the operator asks for the retry/remove/clean buttons.
    readOnly: boolean(env, 'DASHBOARD_READ_ONLY', true),
  };
}

const RENDER_MODES: readonly RenderSandboxMode[] = ['bwrap', 'auto', 'off'];

/**
 * How render commands run: `TOLLGATE_RENDER_SANDBOX` (`bwrap`, `auto` or `off`; the worker defaults
 * to `bwrap`, the CLI to `auto`), `TOLLGATE_RENDER_ALLOW` (the programs a command may name,
 * comma-separated names or absolute paths; default helm,kustomize,kubectl), `TOLLGATE_BWRAP` (the
 * bubblewrap binary) and the PATH the programs are looked up on.
 */
export function readRenderSettings(env: Env, defaultMode: RenderSandboxMode): RenderSettings {
  const mode = (env.TOLLGATE_RENDER_SANDBOX ?? '').trim().toLowerCase() || defaultMode;
  if (!RENDER_MODES.includes(mode as RenderSandboxMode)) {
    throw new ConfigError(
      `TOLLGATE_RENDER_SANDBOX=${JSON.stringify(env.TOLLGATE_RENDER_SANDBOX)} is invalid: expected bwrap, auto or off`,
    );
  }
  const listed = (env.TOLLGATE_RENDER_ALLOW ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const allow = listed.length > 0 ? listed : DEFAULT_RENDER_ALLOW;
  const bad = allow.find((entry) => entry.includes('/') && !entry.startsWith('/'));
  if (bad !== undefined) {
    throw new ConfigError(
      `TOLLGATE_RENDER_ALLOW is invalid: ${JSON.stringify(bad)} must be a program name or an absolute path`,
    );
  }
  return {
    sandbox: mode as RenderSandboxMode,
    allow,
    searchPath: env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    ...(env.TOLLGATE_BWRAP ? { bwrap: env.TOLLGATE_BWRAP } : {}),
  };
}

function readDetails(env: Env): DetailsSettings | undefined {
  if (!group(env, ['TOLLGATE_PUBLIC_URL', 'TOLLGATE_DETAILS_SECRET'], 'the details page')) return undefined;
  if (env.TOLLGATE_DETAILS_SECRET!.length < 32)
    throw new ConfigError(
      'TOLLGATE_DETAILS_SECRET is invalid: expected at least 32 characters (it signs the links)',
    );
  return {
    publicUrl: url(env, 'TOLLGATE_PUBLIC_URL', undefined, ['https:', 'http:'])!,
    secret: env.TOLLGATE_DETAILS_SECRET!,
    ttlSeconds: integer(env, 'TOLLGATE_DETAILS_TTL_SECONDS', 14 * 86_400, 3600, 90 * 86_400),
  };
}

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;

/** Reads and validates the process configuration. Only entry points call this, with process.env. */
export function readEnvConfig(processEnv: Env, { requirePlatform = true } = {}): EnvConfig {
  const env = readSecretFiles(processEnv);
  const privateKey = readPrivateKey(env);
  const githubEnv = { ...env, PRIVATE_KEY: privateKey };
  const hasGitHub = group(githubEnv, ['APP_ID', 'PRIVATE_KEY', 'WEBHOOK_SECRET'], 'the GitHub App');
  const hasGitLab = group(env, ['GITLAB_TOKEN', 'GITLAB_WEBHOOK_SECRET'], 'GitLab');
  if (requirePlatform && !hasGitHub && !hasGitLab) {
    throw new ConfigError(
      'no platform configured: set APP_ID, PRIVATE_KEY and WEBHOOK_SECRET (GitHub) and/or GITLAB_TOKEN and GITLAB_WEBHOOK_SECRET (GitLab)',
    );
  }
  if (hasGitHub && !/^\d+$/.test(env.APP_ID!))
    throw new ConfigError('APP_ID is invalid: expected the numeric GitHub App id');
  const logLevel = (env.LOG_LEVEL || 'info') as EnvConfig['logLevel'];
  if (!LOG_LEVELS.includes(logLevel))
    throw new ConfigError(`LOG_LEVEL is invalid: expected one of ${LOG_LEVELS.join(', ')}`);
  const apiUrl = url(env, 'GITHUB_API_URL', undefined, ['https:', 'http:']);
  const dashboard = readDashboard(env);
  return {
    redisUrl: readRedisUrl(env),
    port: integer(env, 'PORT', 3000, 0, 65535),
    host: env.HOST || '0.0.0.0',
    logLevel,
    ...(hasGitHub
      ? {
          github: {
            appId: env.APP_ID!,
            privateKey: privateKey!,
            webhookSecret: env.WEBHOOK_SECRET!,
            ...(apiUrl ? { apiUrl } : {}),
            webUrl: url(env, 'GITHUB_URL', undefined, ['https:', 'http:']) ?? deriveGitHubWebUrl(apiUrl),
          },
        }
      : {}),
    ...(hasGitLab
      ? {
          gitlab: {
            url: url(env, 'GITLAB_URL', 'https://gitlab.com', ['https:', 'http:'])!,
            token: env.GITLAB_TOKEN!,
            webhookSecret: env.GITLAB_WEBHOOK_SECRET!,
            ...(env.GITLAB_WEBHOOK_SECRETS_FILE
              ? { webhookSecrets: readGitLabWebhookSecrets(env.GITLAB_WEBHOOK_SECRETS_FILE) }
              : {}),
          },
        }
      : {}),
    debounceMs: integer(env, 'TOLLGATE_DEBOUNCE_MS', 3000, 0, 600_000),
    jobAttempts: integer(env, 'TOLLGATE_JOB_ATTEMPTS', 6, 1, 50),
    retryDelayMs: integer(env, 'TOLLGATE_RETRY_DELAY_MS', 5000, 10, 3_600_000),
    workerConcurrency: integer(env, 'WORKER_CONCURRENCY', 4, 1, 256),
    queuePrefix: env.TOLLGATE_QUEUE_PREFIX || 'tollgate',
    metricsEnabled: boolean(env, 'METRICS_ENABLED', true),
    metricsPort: integer(env, 'METRICS_PORT', 9464, 0, 65535),
    reconcileEveryMs: integer(env, 'TOLLGATE_RECONCILE_INTERVAL_MS', 300_000, 0, 86_400_000),
    gitlabProjects: (env.GITLAB_PROJECTS ?? '')
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean),
    ...(dashboard ? { dashboard } : {}),
    ...(readDetails(env) ? { details: readDetails(env)! } : {}),
    shutdownTimeoutMs: integer(env, 'SHUTDOWN_TIMEOUT_MS', 25_000, 0, 600_000),
    workerLockDurationMs: integer(env, 'WORKER_LOCK_DURATION_MS', 30_000, 500, 600_000),
    workerStalledIntervalMs: integer(env, 'WORKER_STALLED_INTERVAL_MS', 30_000, 200, 600_000),
    workerMaxStalledCount: integer(env, 'WORKER_MAX_STALLED_COUNT', 2, 0, 100),
    archive: readArchiveSettings(env),
    confirmPollMs: integer(env, 'TOLLGATE_CONFIRM_POLL_MS', 15_000, 100, 600_000),
    render: readRenderSettings(env, 'bwrap'),
    webhookReadSlots: integer(env, 'TOLLGATE_WEBHOOK_READ_SLOTS', 16, 1, 1024),
  };
}
