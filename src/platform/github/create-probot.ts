import type { Logger } from 'pino';
import { Probot, ProbotOctokit } from 'probot';
import type { GitHubSettings } from '../../config/read-env-config.ts';

/**
 * Probot with Octokit's own retry and throttling turned off: retries happen in one place, the
 * queue, which honours Retry-After without holding a worker slot.
 */
export function createProbot(settings: GitHubSettings, log: Logger): Probot {
  return new Probot({
    appId: settings.appId,
    privateKey: settings.privateKey,
    secret: settings.webhookSecret,
    log: log.child({ name: 'probot' }),
    ...(settings.apiUrl ? { baseUrl: settings.apiUrl } : {}),
    Octokit: ProbotOctokit.defaults({ retry: { enabled: false }, throttle: { enabled: false } }),
  });
}
