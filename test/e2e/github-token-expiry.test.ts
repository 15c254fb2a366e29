import nock from 'nock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeGitHubApi } from '../support/fake-github-api.ts';
import {
  pullRequestOpenedEvent,
  sendGitHubWebhook,
  testPrivateKey,
  WEBHOOK_SECRET,
} from '../support/github-fixtures.ts';
import { startTestRuntime, type TestRuntime, waitFor } from '../support/start-test-runtime.ts';

// An installation token can expire or be revoked while a worker still holds it in its cache. GitHub
// then answers 401 "Bad credentials" to every request made with it. The worker must drop it, fetch
// a new one, retry once, and never leave the check in progress.
const GH = 'https://api.github.com';
const HEAD = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';
const BASE = 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e';
const VALID = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: coffee\nspec:\n  replicas: 2\n';
const BAD_CREDENTIALS = {
  message: 'Bad credentials',
  documentation_url: 'https://docs.github.com/rest',
  status: '401',
};

describe('GitHub: an installation token that expires or is revoked mid-job', () => {
  let app: TestRuntime;
  let github: ReturnType<typeof fakeGitHubApi>;
  /** Tokens handed out by POST /app/installations/1/access_tokens, in order. */
  let issued: string[];
  /** Tokens GitHub no longer accepts. */
  let rejected: Set<string>;
  /** Every request that was refused with 401, as `METHOD /path (token)`. */
  let refusals: string[];

  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
  });

  beforeEach(async () => {
    issued = [];
    rejected = new Set();
    refusals = [];
    // Registered before the fake, so these answer first: a fresh token per request, and 401 for
    // any request that carries a rejected one (the others fall through to the fake).
    nock(GH)
      .persist()
      .post('/app/installations/1/access_tokens')
      .reply(201, () => {
        const token = `ghs_${String(issued.length + 1).padStart(36, '0')}`;
        issued.push(token);
        return {
          token,
          expires_at: new Date(Date.now() + 3600_000).toISOString(),
          permissions: { checks: 'write', pull_requests: 'write', contents: 'read' },
          repository_selection: 'selected',
        };
      });
    for (const method of ['get', 'post', 'patch'] as const) {
      nock(GH)
        .persist()
        [method](/^\/repos\//)
        .query(true)
        .matchHeader('authorization', (value) => rejected.has(value.replace(/^token /, '')))
        .reply(function (uri) {
          refusals.push(
            `${method.toUpperCase()} ${new URL(uri, GH).pathname} (${this.req.headers.authorization})`,
          );
          return [401, BAD_CREDENTIALS];
        });
    }
    app = await startTestRuntime({ APP_ID: '123', PRIVATE_KEY: testPrivateKey(), WEBHOOK_SECRET });
  });

  afterEach(async () => {
    github?.done();
    nock.cleanAll();
    await app.close();
  });

  /** The first token stops working once the job has opened its check run (mid-job). */
  const revokeFirstTokenOnceCheckRunOpens = (state: ReturnType<typeof fakeGitHubApi>['state']) => {
    const original = state.checkRuns.push;
    state.checkRuns.push = (...runs) => {
      if (issued[0]) rejected.add(issued[0]);
      return original.apply(state.checkRuns, runs);
    };
  };

  const setup = (number: number) => {
    github = fakeGitHubApi({
      owner: 'Codertocat',
      repo: 'Hello-World',
      number,
      headSha: HEAD,
      baseSha: BASE,
      files: { 'k8s/coffee.yaml': VALID },
    });
    return github.state;
  };

  it('drops the token on 401, fetches a new one, retries once, and the check ends final', async () => {
    const state = setup(2);
    revokeFirstTokenOnceCheckRunOpens(state); // expired mid-job
    expect((await sendGitHubWebhook(app.url, 'pull_request', pullRequestOpenedEvent(2, HEAD))).status).toBe(
      200,
    );
    await waitFor('a final check', () => state.checkRuns.some((r) => r.status === 'completed'), 15_000);

    expect(issued).toHaveLength(2); // the first token, then exactly one replacement
    // Only requests with the old token were refused (those in flight together), each retried once.
    expect(refusals.length).toBeGreaterThanOrEqual(1);
    expect(refusals.every((r) => r.endsWith(`(token ${issued[0]})`))).toBe(true);
    const refused = refusals.length;
    expect(state.checkRuns.map((r) => [r.status, r.conclusion])).toEqual([['completed', 'success']]);
    expect(state.comments).toHaveLength(1);

    // The next pull request uses the new token from the cache: no third token, no refusal.
    github.done();
    const next = setup(3);
    expect((await sendGitHubWebhook(app.url, 'pull_request', pullRequestOpenedEvent(3, HEAD))).status).toBe(
      200,
    );
    await waitFor('the next final check', () => next.checkRuns.some((r) => r.status === 'completed'), 15_000);
    expect(issued).toHaveLength(2);
    expect(refusals).toHaveLength(refused);
  });

  it('when a request is still refused with a new token, the check ends failed with the reason, never in progress', async () => {
    const state = setup(2);
    revokeFirstTokenOnceCheckRunOpens(state);
    // ...and the changed-files listing keeps answering 401 whatever the token.
    for (let i = 0; i < 4; i++)
      state.failures.push({ call: 'GET /repos/Codertocat/Hello-World/pulls/2/files', status: 401 });
    expect((await sendGitHubWebhook(app.url, 'pull_request', pullRequestOpenedEvent(2, HEAD))).status).toBe(
      200,
    );
    await waitFor('a final check', () => state.checkRuns.some((r) => r.status === 'completed'), 15_000);
    const [run] = state.checkRuns;
    expect([run!.status, run!.conclusion]).toEqual(['completed', 'failure']);
    expect(run!.output.title).toMatch(/^Tollgate could not finish: .*HTTP 401/);
    expect(issued.length).toBeGreaterThanOrEqual(2);
    expect(state.comments).toHaveLength(0);
  });
});
