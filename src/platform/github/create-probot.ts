import type { Logger } from 'pino';
import { Probot, ProbotOctokit } from 'probot';
import type { GitHubSettings } from '../../config/read-env-config.ts';
import type { ApiCallObserver } from '../api-call-observer.ts';
import { observeOctokitRequests } from './observe-octokit.ts';

/**
 * Probot with Octokit's own retry and throttling turned off: retries happen in one place, the
 * queue, which honours Retry-After without holding a worker slot.
 */
export function createProbot(
  settings: GitHubSettings,
  log: Logger,
  observeApiCall?: ApiCallObserver,
): Probot {
  const Octokit = ProbotOctokit.defaults({ retry: { enabled: false }, throttle: { enabled: false } });
  return new Probot({
    appId: settings.appId,
    privateKey: settings.privateKey,
    secret: settings.webhookSecret,
    log: log.child({ name: 'probot' }),
    ...(settings.apiUrl ? { baseUrl: settings.apiUrl } : {}),
    // biome-ignore lint/suspicious/noExplicitAny: Octokit's plugin type is generic over every plugin's API
    Octokit: observeApiCall ? Octokit.plugin(observeOctokitRequests(observeApiCall) as any) : Octokit,
  });
}
