import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fakeGitHubApi } from '../support/fake-github-api.ts';
import { fakeGitLabApi } from '../support/fake-gitlab-api.ts';
import {
  pullRequestOpenedEvent,
  sendGitHubWebhook,
  testPrivateKey,
  WEBHOOK_SECRET,
} from '../support/github-fixtures.ts';
import { GITLAB_SECRET, gitlabMergeRequestEvent, sendGitLabWebhook } from '../support/gitlab-fixtures.ts';
import { startTestRuntime, type TestRuntime, waitFor } from '../support/start-test-runtime.ts';

// A big change must not flood the platform: one pull request with 2,100 findings used to write
// its annotations 50 per request (42 check-run updates), where GitHub's secondary limits allow
// about 80 content writes a minute. Writes per run are capped whatever the size of the change.
const HEAD = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';
const BASE = 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e';
const APPS = 700; // three blocking findings each (latest tag, no probes, no requests/limits)

const deployment = (i: number) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
spec:
  replicas: 2
  selector:
    matchLabels: {app: app-${i}}
  template:
    metadata:
      labels: {app: app-${i}}
    spec:
      containers:
        - name: app
          image: nginx:latest
`;
const BIG = Array.from({ length: APPS }, (_, i) => deployment(i)).join('---\n');
const WRITE = /^(POST|PATCH|PUT|DELETE) /;

describe('writes per run are capped, whatever the size of the change', () => {
  let app: TestRuntime | undefined;
  const cleanups: (() => void)[] = [];

  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
  });
  afterEach(async () => {
    for (const done of cleanups.splice(0)) done();
    await app?.close();
    app = undefined;
  });

  it('GitHub: at most 3 writes (check run created, comment, check run completed) with the 50 most important annotations', async () => {
    app = await startTestRuntime(
      { APP_ID: '123', PRIVATE_KEY: testPrivateKey(), WEBHOOK_SECRET },
      { githubPacing: false },
    );
    const github = fakeGitHubApi({
      owner: 'Codertocat',
      repo: 'Hello-World',
      number: 2,
      headSha: HEAD,
      baseSha: BASE,
      files: { 'deploy/apps.yaml': BIG },
    });
    cleanups.push(() => github.done());
    github.state.trees[BASE] = {}; // the apps are new
    expect((await sendGitHubWebhook(app.url, 'pull_request', pullRequestOpenedEvent(2, HEAD))).status).toBe(
      200,
    );
    const { state } = github;
    await waitFor('the final check', () => state.checkRuns.some((r) => r.status === 'completed'), 60_000);
    await waitFor('the job to finish', async () => (await app!.runtime.queue.getJobCounts()).completed === 1);

    const writes = state.calls.filter((c) => WRITE.test(c));
    expect(writes).toEqual([
      'POST /repos/Codertocat/Hello-World/check-runs',
      'POST /repos/Codertocat/Hello-World/issues/2/comments',
      expect.stringMatching(/^PATCH \/repos\/Codertocat\/Hello-World\/check-runs\/\d+$/),
    ]);
    const [run] = state.checkRuns;
    expect(run!.conclusion).toBe('failure');
    expect(run!.output.annotations).toHaveLength(50);
    expect(
      (run!.output.annotations as { annotation_level: string }[]).every(
        (a) => a.annotation_level === 'failure',
      ),
    ).toBe(true);
    expect(run!.output.summary).toContain(`50 of ${APPS * 3} findings are annotated here`);
    process.stdout.write(`GitHub writes for ${APPS * 3} findings: ${writes.length}\n`);
  }, 90_000);

  it('GitLab: one status pair, one note, and at most 10 line discussions for blocking findings on changed lines', async () => {
    app = await startTestRuntime({
      GITLAB_URL: 'https://gitlab.example.com',
      GITLAB_TOKEN: 'glpat-test-token',
      GITLAB_WEBHOOK_SECRET: GITLAB_SECRET,
      TOLLGATE_TREE_SOURCE: 'api',
    });
    const gitlab = fakeGitLabApi({
      projectId: 1,
      iid: 1,
      headSha: HEAD,
      baseSha: BASE,
      files: { 'deploy/apps.yaml': BIG },
      baseFiles: {},
    });
    cleanups.push(() => gitlab.done());
    const lines = BIG.trimEnd().split('\n');
    gitlab.state.diffs['deploy/apps.yaml'] =
      `@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join('\n')}\n`;
    expect((await sendGitLabWebhook(app.url, gitlabMergeRequestEvent('open', HEAD))).status).toBe(202);
    const { state } = gitlab;
    await waitFor(
      'the job to finish',
      async () => (await app!.runtime.queue.getJobCounts()).completed === 1,
      60_000,
    );

    const writes = state.calls.filter((c) => WRITE.test(c));
    expect(writes.filter((c) => c.includes('/statuses/'))).toHaveLength(2);
    expect(state.statuses.map((s) => s.state)).toEqual(['pending', 'failed']);
    expect(writes.filter((c) => c.endsWith('/notes'))).toHaveLength(1);
    expect(writes.filter((c) => c.endsWith('/discussions'))).toHaveLength(10);
    expect(writes).toHaveLength(13);
    process.stdout.write(`GitLab writes for ${APPS * 3} findings: ${writes.length}\n`);
  }, 90_000);
});
