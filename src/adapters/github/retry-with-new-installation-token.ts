interface RequestOptions {
  method?: string;
  url?: string;
}

interface InstallationOctokit {
  auth(options: { type: 'installation'; refresh?: true }): Promise<unknown>;
  hook: {
    wrap(
      name: 'request',
      wrapper: (
        request: (options: RequestOptions) => Promise<unknown>,
        options: RequestOptions,
      ) => Promise<unknown>,
    ): void;
  };
  log: { warn(message: string): void };
}

/** Endpoints called as the App itself (JWT), not with an installation token. */
const APP_ENDPOINT = /^\/app(\/|$)|^\/app\/installations\/\d+\/access_tokens$/;

/**
 * An Octokit plugin for installation clients: a 401 means the cached installation token expired
 * early or was revoked (GitHub can revoke it at any time, e.g. when the App is re-installed), and
 * @octokit/auth-app would keep handing out the same cached token for up to an hour. On a 401 this
 * fetches a new token (which replaces the cached one, so later jobs use it too) and retries the
 * request once; a second 401 is the caller's error. Requests in flight with the old token when it
 * is replaced are retried with the new one without fetching another. Octokit's own retry for a
 * token younger than 5 s (replication delay) still runs first.
 */
export function retryWithNewInstallationToken(
  octokit: InstallationOctokit,
  options: { auth?: { installationId?: number | string } },
): void {
  if (!options.auth?.installationId) return; // the App's own client authenticates with a JWT
  const cachedToken = async () =>
    ((await octokit.auth({ type: 'installation' })) as { token?: string }).token;
  octokit.hook.wrap('request', async (request, requestOptions) => {
    if (APP_ENDPOINT.test(requestOptions.url ?? '')) return request(requestOptions);
    // The token this request goes out with (the auth hook reads the same cache right after).
    const used = await cachedToken();
    try {
      return await request(requestOptions);
    } catch (error) {
      if ((error as { status?: unknown }).status !== 401) throw error;
      // Requests in flight together all fail with the old token: the first one replaces it.
      if ((await cachedToken()) === used) {
        octokit.log.warn(
          `GitHub answered 401 with the cached installation token (${requestOptions.method ?? 'GET'} ${requestOptions.url ?? ''}); fetching a new one`,
        );
        await octokit.auth({ type: 'installation', refresh: true });
      }
      return request(requestOptions);
    }
  });
}
