import type { Logger } from 'pino';
import { Probot, ProbotOctokit } from 'probot';
import type { ApiCallObserver } from '../../usecases/ports/api-call-observer.ts';
import type { GitHubSettings } from './github-settings.ts';
import { observeOctokitRequests } from './observe-octokit.ts';
import { retryWithNewInstallationToken } from './retry-with-new-installation-token.ts';

/**
 * Probot with Octokit's retry plugin off and the throttling plugin kept only for pacing: it spaces
 * content-creating requests per installation as GitHub asks (secondary rate limits), but never
 * waits out a rate limit inside a job. Rate limits and 5xx surface as errors, and the queue retries
 * in one place, honouring Retry-After without holding a worker slot.
 */
const TollgateOctokit = ProbotOctokit.plugin(
  // biome-ignore lint/suspicious/noExplicitAny: Octokit's plugin type is generic over every plugin's API
  retryWithNewInstallationToken as any,
).defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: {
    ...(options.throttle as object | undefined),
    onRateLimit: () => false,
    onSecondaryRateLimit: () => false,
  },
}));

/** Tests that count requests rather than time them may turn the pacing off; production keeps it. */
const UnpacedOctokit = ProbotOctokit.plugin(
  // biome-ignore lint/suspicious/noExplicitAny: as above
  retryWithNewInstallationToken as any,
).defaults((options: Record<string, unknown>) => ({
  ...options,
  retry: { enabled: false },
  throttle: { enabled: false },
}));

export function createProbot(
  settings: GitHubSettings,
  log: Logger,
  observeApiCall?: ApiCallObserver,
  { pacing = true }: { pacing?: boolean } = {},
): Probot {
  const Octokit = (pacing ? TollgateOctokit : UnpacedOctokit) as typeof ProbotOctokit;
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
