import type { ApiCallObserver } from '../../usecases/ports/api-call-observer.ts';

interface HookedOctokit {
  hook: {
    wrap(
      name: 'request',
      wrapper: (
        request: (options: { method?: string }) => Promise<{ status: number }>,
        options: { method?: string },
      ) => Promise<{ status: number }>,
    ): void;
  };
}

/**
 * An Octokit plugin that reports every request (including the App's installation-token requests)
 * to `observe`: method, HTTP status (or `network`) and duration.
 */
export function observeOctokitRequests(observe: ApiCallObserver) {
  return (octokit: HookedOctokit): void => {
    octokit.hook.wrap('request', async (request, options) => {
      const started = performance.now();
      const report = (status: number | 'network') =>
        observe({
          platform: 'github',
          method: options.method ?? 'GET',
          status,
          durationSeconds: (performance.now() - started) / 1000,
        });
      try {
        const response = await request(options);
        report(response.status);
        return response;
      } catch (error) {
        // Octokit reports a network failure as status 500 without a response: count it as `network`.
        const { status, response } = error as { status?: unknown; response?: unknown };
        report(typeof status === 'number' && status > 0 && response ? status : 'network');
        throw error;
      }
    });
  };
}
