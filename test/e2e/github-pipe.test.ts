import nock from 'nock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { REPORT_MARKER } from '../../src/core/report/format-comment.ts';
import { fakeGitHubApi } from '../support/fake-github-api.ts';
import {
  githubExample,
  sendGitHubWebhook,
  testPrivateKey,
  WEBHOOK_SECRET,
} from '../support/github-fixtures.ts';
import { startTestRuntime, type TestRuntime, waitFor } from '../support/start-test-runtime.ts';

const HEAD = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';
const NEXT_HEAD = '1111111111111111111111111111111111111111';
const BASE = 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e';

const VALID = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: coffee\nspec:\n  replicas: 2\n';
const BROKEN = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: tea\nspec:\n  ports: [80\n';

function pullRequestEvent(action: 'opened' | 'synchronize' | 'closed' | 'labeled', sha = HEAD) {
  const payload = githubExample(
    'pull_request',
    action === 'closed' || action === 'labeled' ? action : action === 'opened' ? 'opened' : 'synchronize',
  );
  const pr = payload.pull_request as { head: { sha: string }; number: number };
  pr.head.sha = sha;
  payload.number = 2;
  (payload.pull_request as { number: number }).number = 2;
  payload.installation = { id: 1, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==' };
  return payload;
}

describe('GitHub: webhook → queue → worker → check run + sticky comment', () => {
  let app: TestRuntime;
  let github: ReturnType<typeof fakeGitHubApi>;

  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
  });

  beforeEach(async () => {
    app = await startTestRuntime({ APP_ID: '123', PRIVATE_KEY: testPrivateKey(), WEBHOOK_SECRET });
  });

  afterEach(async () => {
    github?.done();
    await app.close();
  });

  const setup = (files: Record<string, string>) => {
    github = fakeGitHubApi({
      owner: 'Codertocat',
      repo: 'Hello-World',
      number: 2,
      headSha: HEAD,
      baseSha: BASE,
      files,
    });
    return github;
  };

  it('checks a pull request, then edits the same comment on the next push', async () => {
    const { state } = setup({ 'k8s/coffee.yaml': VALID });
    const response = await sendGitHubWebhook(app.url, 'pull_request', pullRequestEvent('opened'));
    expect(response.status).toBe(200);

    await waitFor('the success check', () => state.checkRuns.some((r) => r.conclusion === 'success'));
    // Order-insensitive where the review reads base and head in parallel.
    expect(state.calls.slice(0, 3)).toEqual([
      'GET /repos/Codertocat/Hello-World/pulls/2',
      `GET /repos/Codertocat/Hello-World/commits/${HEAD}/check-runs`,
      'POST /repos/Codertocat/Hello-World/check-runs',
    ]);
    expect(state.calls.slice(-5)).toEqual([
      'GET /repos/Codertocat/Hello-World/pulls/2',
      'GET /repos/Codertocat/Hello-World/issues/2/comments',
      'POST /repos/Codertocat/Hello-World/issues/2/comments',
      `GET /repos/Codertocat/Hello-World/commits/${HEAD}/check-runs`,
      expect.stringMatching(/^PATCH \/repos\/Codertocat\/Hello-World\/check-runs\/\d+$/),
    ]);
    // Reads, in whatever order the review makes them in parallel: the trees are one tarball per
    // commit (redirected to codeload), never per-file reads.
    const reads = state.calls.slice(3, -5);
    expect(reads).toHaveLength(4);
    expect(reads).toEqual(
      expect.arrayContaining([
        'GET /repos/Codertocat/Hello-World/pulls/2/files',
        `GET /repos/Codertocat/Hello-World/compare/main...${HEAD}`, // how far behind main
        `GET /repos/Codertocat/Hello-World/tarball/${BASE}`,
        `GET /repos/Codertocat/Hello-World/tarball/${HEAD}`,
      ]),
    );
    expect(state.downloads.sort()).toEqual([BASE, HEAD].sort());
    expect(state.comments).toHaveLength(1);
    expect(state.comments[0]!.body).toContain(REPORT_MARKER);
    expect(state.comments[0]!.body).toContain('checks passed');
    expect(state.checkRuns).toHaveLength(1);
    // The check run carries the full manifest diff (the comment may have to cut it).
    expect(state.checkRuns[0]!.output.text).toContain('## Manifest diff');
    expect(state.checkRuns[0]!.output.text).toContain('| default | 0 | 0 | 0 | 1 |'); // the fake's base equals its head

    // Second push: a broken file. The same comment is edited, never a second one.
    state.headSha = NEXT_HEAD;
    state.files['k8s/tea.yaml'] = BROKEN;
    state.calls.length = 0;
    state.downloads.length = 0;
    expect(
      (await sendGitHubWebhook(app.url, 'pull_request', pullRequestEvent('synchronize', NEXT_HEAD))).status,
    ).toBe(200);
    await waitFor('the failing check', () =>
      state.checkRuns.some((r) => r.head_sha === NEXT_HEAD && r.conclusion === 'failure'),
    );
    // The base is the same commit: it came from the worker's cache, only the new head was fetched.
    expect(state.calls.filter((c) => c.includes('/tarball/'))).toEqual([
      `GET /repos/Codertocat/Hello-World/tarball/${NEXT_HEAD}`,
    ]);
    expect(state.downloads).toEqual([NEXT_HEAD]);
    expect(state.calls).toContain(
      `PATCH /repos/Codertocat/Hello-World/issues/comments/${state.comments[0]!.id}`,
    );
    expect(state.calls).not.toContain('POST /repos/Codertocat/Hello-World/issues/2/comments');
    expect(state.comments).toHaveLength(1);
    expect(state.comments[0]!.body).toContain('merge blocked');
    expect(state.comments[0]!.body).toContain('k8s/tea.yaml:');
    const failing = state.checkRuns.find((r) => r.head_sha === NEXT_HEAD)!;
    expect(failing.output.annotations).toContainEqual(
      expect.objectContaining({ path: 'k8s/tea.yaml', annotation_level: 'failure', start_line: 6 }),
    );
  });

  it('counts GitHub deliveries by event and outcome in /metrics', async () => {
    const { state } = setup({ 'k8s/coffee.yaml': VALID });
    await sendGitHubWebhook(app.url, 'pull_request', pullRequestEvent('opened'), { deliveryId: 'm-1' });
    await sendGitHubWebhook(app.url, 'pull_request', pullRequestEvent('opened'), { deliveryId: 'm-1' });
    await sendGitHubWebhook(app.url, 'pull_request', pullRequestEvent('opened'), { secret: 'forged' });
    await waitFor('the check', () => state.checkRuns.some((r) => r.conclusion === 'success'));
    expect((await fetch(`${app.url}/metrics`)).status).toBe(404); // never on the webhook port
    const metrics = await (await fetch(`${app.metricsUrl}/metrics`)).text();
    const value = (labels: string) =>
      Number(new RegExp(`^tollgate_webhooks_received_total\\{${labels}\\} (\\d+)$`, 'm').exec(metrics)?.[1]);
    expect(value('platform="github",event="pull_request",outcome="queued"')).toBe(1);
    expect(value('platform="github",event="pull_request",outcome="duplicate-delivery"')).toBe(1);
    expect(value('platform="github",event="unknown",outcome="unauthorized"')).toBe(1);
  });

  it('refuses a forged or missing signature with 401 and queues nothing', async () => {
    setup({});
    const forged = await sendGitHubWebhook(app.url, 'pull_request', pullRequestEvent('opened'), {
      secret: 'not-the-secret',
    });
    expect(forged.status).toBe(401);
    const missing = await sendGitHubWebhook(app.url, 'pull_request', pullRequestEvent('opened'), {
      signature: null,
    });
    expect(missing.status).toBe(401);
    expect(await app.runtime.queue.getJobCounts()).toMatchObject({
      waiting: 0,
      active: 0,
      completed: 0,
      delayed: 0,
    });
    expect(github.state.calls).toEqual([]);
  });

  it('queues one job for a redelivered webhook', async () => {
    const { state } = setup({ 'k8s/coffee.yaml': VALID });
    const payload = pullRequestEvent('opened');
    const first = await sendGitHubWebhook(app.url, 'pull_request', payload, { deliveryId: 'delivery-1' });
    const again = await sendGitHubWebhook(app.url, 'pull_request', payload, { deliveryId: 'delivery-1' });
    // A different delivery of the same head SHA (e.g. reopened) finds the job already there.
    const sameHead = await sendGitHubWebhook(app.url, 'pull_request', payload, { deliveryId: 'delivery-2' });
    expect([first.status, again.status, sameHead.status]).toEqual([200, 200, 200]);
    await waitFor('the job', async () => (await app.runtime.queue.getJobCounts()).completed === 1);
    expect(state.checkRuns.filter((r) => r.conclusion === 'success')).toHaveLength(1);
    expect(state.comments).toHaveLength(1);
  });

  it('ignores pull request events that bring no new commits', async () => {
    setup({});
    const response = await sendGitHubWebhook(app.url, 'pull_request', pullRequestEvent('labeled'));
    expect(response.status).toBe(200);
    expect(await app.runtime.queue.getJobCounts()).toMatchObject({ waiting: 0, active: 0, completed: 0 });
  });

  it('retries after a 502 and still posts exactly one comment', async () => {
    const { state } = setup({ 'k8s/coffee.yaml': VALID });
    state.failures.push({ call: 'POST /repos/Codertocat/Hello-World/issues/2/comments', status: 502 });
    await sendGitHubWebhook(app.url, 'pull_request', pullRequestEvent('opened'));
    await waitFor('the success check', () => state.checkRuns.some((r) => r.conclusion === 'success'));
    expect(
      state.calls.filter((c) => c === 'POST /repos/Codertocat/Hello-World/issues/2/comments'),
    ).toHaveLength(2);
    expect(state.comments).toHaveLength(1);
    expect(state.checkRuns).toHaveLength(1);
  });

  it("checks the current head when the event's SHA is no longer the head, and nothing on the old one", async () => {
    const { state } = setup({ 'k8s/coffee.yaml': VALID });
    state.headSha = NEXT_HEAD; // the PR moved on before the job ran (the newer event may come late, or never)
    await sendGitHubWebhook(app.url, 'pull_request', pullRequestEvent('synchronize', HEAD));
    await waitFor('the job', async () => (await app.runtime.queue.getJobCounts()).completed === 1);
    expect(state.checkRuns.map((r) => [r.head_sha, r.status, r.conclusion])).toEqual([
      [NEXT_HEAD, 'completed', 'success'],
    ]);
    expect(state.comments).toHaveLength(1);
  });

  it('leaves the check as failed with the reason when the platform refuses for good', async () => {
    const { state } = setup({ 'k8s/coffee.yaml': VALID });
    state.failures.push({ call: 'GET /repos/Codertocat/Hello-World/pulls/2/files', status: 403 });
    await sendGitHubWebhook(app.url, 'pull_request', pullRequestEvent('opened'));
    await waitFor('the failed check', () => state.checkRuns.some((r) => r.conclusion === 'failure'));
    expect(state.checkRuns[0]!.output.title).toMatch(
      /Tollgate could not finish: GitHub list files of #2 failed with HTTP 403/,
    );
    expect(state.comments).toHaveLength(0);
    await waitFor('the failed job', async () => (await app.runtime.queue.getJobCounts()).failed === 1);
    expect(state.calls.filter((c) => c.endsWith('/pulls/2/files'))).toHaveLength(1); // 403: not retried
  });
});

describe('GitHub: how the worker reads the trees it reviews', () => {
  let app: TestRuntime | undefined;
  let github: ReturnType<typeof fakeGitHubApi>;

  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
  });

  afterEach(async () => {
    github?.done();
    await app?.close();
    app = undefined;
  });

  const restartWith = async (env: Record<string, string>) => {
    app = await startTestRuntime({ APP_ID: '123', PRIVATE_KEY: testPrivateKey(), WEBHOOK_SECRET, ...env });
    return app;
  };

  const setup = (files: Record<string, string>) => {
    github = fakeGitHubApi({
      owner: 'Codertocat',
      repo: 'Hello-World',
      number: 2,
      headSha: HEAD,
      baseSha: BASE,
      files,
    });
    return github;
  };

  it('reads the trees file by file with TOLLGATE_TREE_SOURCE=api', async () => {
    const app = await restartWith({ TOLLGATE_TREE_SOURCE: 'api' });
    const { state } = setup({ 'k8s/coffee.yaml': VALID, 'k8s/tea.yaml': VALID.replace('coffee', 'tea') });
    await sendGitHubWebhook(app.url, 'pull_request', pullRequestEvent('opened'));
    await waitFor('the success check', () => state.checkRuns.some((r) => r.conclusion === 'success'));
    const reads = state.calls.slice(4, -5);
    expect(reads.filter((c) => c.includes('/git/trees/')).sort()).toEqual(
      [
        `GET /repos/Codertocat/Hello-World/git/trees/${BASE}`,
        `GET /repos/Codertocat/Hello-World/git/trees/${HEAD}`,
      ].sort(),
    );
    expect(reads.filter((c) => c.includes('/git/blobs/'))).toHaveLength(2); // each shared blob once
    expect(state.downloads).toEqual([]);
  });

  it('reports a repository over the archive limits as one blocking finding', async () => {
    const app = await restartWith({ TOLLGATE_ARCHIVE_MAX_FILES: '3' });
    const { state } = setup({ 'k8s/coffee.yaml': VALID, 'k8s/tea.yaml': VALID.replace('coffee', 'tea') });
    await sendGitHubWebhook(app.url, 'pull_request', pullRequestEvent('opened'));
    await waitFor('the failed check', () => state.checkRuns.some((r) => r.conclusion === 'failure'));
    const run = state.checkRuns[0]!;
    // No line annotation: it has no file in the repository to point at (GitHub would refuse it).
    expect(run.output.annotations).toEqual([]);
    expect(run.output.title).toBe('1 blocking problem');
    expect(state.comments).toHaveLength(1);
    expect(state.comments[0]!.body).toContain('merge blocked');
    expect(state.comments[0]!.body).toContain('more than 3 entries (limit TOLLGATE_ARCHIVE_MAX_FILES)');
    // The configuration is read from the base first: its refusal ends the review, without retries.
    expect(state.calls.filter((c) => c.includes('/tarball/'))).toEqual([
      `GET /repos/Codertocat/Hello-World/tarball/${BASE}`,
    ]);
    await waitFor('the job', async () => (await app.runtime.queue.getJobCounts()).completed === 1);
  });
});
