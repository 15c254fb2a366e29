import nock from 'nock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeGitLabApi } from '../support/fake-gitlab-api.ts';
import { GITLAB_SECRET, gitlabMergeRequestEvent, sendGitLabWebhook } from '../support/gitlab-fixtures.ts';
import { startTestRuntime, type TestRuntime, waitFor } from '../support/start-test-runtime.ts';

const BASE = 'b83d6e391c22777fca1ed3012fce84f633d7fed0';
const HEAD = 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7';
const SAME_AGAIN = '3333333333333333333333333333333333333333';
const FIXED = '4444444444444444444444444444444444444444';

const deployment = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: coffee
  namespace: cafe
spec:
  replicas: 2
  selector:
    matchLabels:
      app: coffee
  template:
    metadata:
      labels:
        app: coffee
    spec:
      containers:
        - name: coffee
          image: ${image}
`;
/** GitLab's MR diff of a new file: every line added. */
const newFileDiff = (content: string) => {
  const lines = content.trimEnd().split('\n');
  return `@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join('\n')}\n`;
};
/** The disallow-latest-image-tag rule reports at the failing container (`- name: coffee`). */
const FINDING_LINE = 17;

describe('GitLab: blocking findings as MR diff discussions on the changed lines', () => {
  let app: TestRuntime;
  let gitlab: ReturnType<typeof fakeGitLabApi>;

  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
  });
  beforeEach(async () => {
    app = await startTestRuntime({
      GITLAB_URL: 'https://gitlab.example.com',
      GITLAB_TOKEN: 'glpat-test-token',
      GITLAB_WEBHOOK_SECRET: GITLAB_SECRET,
      // This fake serves trees per ref through the tree API; archives are tested in gitlab-pipe.
      TOLLGATE_TREE_SOURCE: 'api',
    });
  });
  afterEach(async () => {
    gitlab?.done();
    await app.close();
  });

  it('opens a discussion per blocking finding on its line, writes nothing on a rerun, resolves the fixed one', async () => {
    gitlab = fakeGitLabApi({
      projectId: 1,
      iid: 1,
      headSha: HEAD,
      baseSha: BASE,
      files: { 'deploy/coffee.yaml': deployment('registry.example.com/coffee:latest') },
      // The merge request adds the Deployment.
      baseFiles: {
        'deploy/tea.yaml': deployment('registry.example.com/tea:2.0.1').replaceAll('coffee', 'tea'),
      },
    });
    const { state } = gitlab;
    state.diffs['deploy/coffee.yaml'] = newFileDiff(state.files['deploy/coffee.yaml']!);
    await sendGitLabWebhook(app.url, gitlabMergeRequestEvent('open', HEAD));
    await waitFor('the discussion', () => state.discussions.length > 0);
    await waitFor('the job', async () => (await app.runtime.queue.getJobCounts()).completed === 1);
    expect(state.statuses.at(-1)).toMatchObject({ sha: HEAD, state: 'failed' });
    // Every shipped policy the new Deployment breaks blocks: one discussion each, on its line.
    const bodies = state.discussions.map((d) => d.notes[0]!.body);
    expect(bodies).toHaveLength(3);
    expect(bodies.every((b) => /^<!-- tollgate:finding:[0-9a-f]{16} -->/.test(b))).toBe(true);
    const latest = state.discussions.find((d) => d.notes[0]!.body.includes('disallow-latest-image-tag'))!;
    expect(latest.notes[0]!.position).toEqual({
      base_sha: BASE,
      start_sha: BASE,
      head_sha: HEAD,
      position_type: 'text',
      old_path: 'deploy/coffee.yaml',
      new_path: 'deploy/coffee.yaml',
      new_line: FINDING_LINE,
    });
    expect(bodies.filter((b) => b.includes('require-probes'))).toHaveLength(1);

    // A new head with the same findings: the discussion stands, nothing is written.
    state.headSha = SAME_AGAIN;
    state.calls.length = 0;
    await sendGitLabWebhook(app.url, gitlabMergeRequestEvent('update', SAME_AGAIN, HEAD));
    await waitFor('the second job', async () => (await app.runtime.queue.getJobCounts()).completed === 2);
    expect(state.calls.filter((c) => c.includes('/discussions') && !c.startsWith('GET'))).toEqual([]);
    expect(state.calls).toContain('GET /api/v4/projects/1/merge_requests/1/discussions');

    // The fix: the finding is gone, so its discussion is resolved (once).
    state.headSha = FIXED;
    state.files['deploy/coffee.yaml'] = deployment('registry.example.com/coffee:1.5.0');
    state.diffs['deploy/coffee.yaml'] = newFileDiff(state.files['deploy/coffee.yaml']!);
    state.calls.length = 0;
    await sendGitLabWebhook(app.url, gitlabMergeRequestEvent('update', FIXED, SAME_AGAIN));
    await waitFor('the third job', async () => (await app.runtime.queue.getJobCounts()).completed === 3);
    expect(state.statuses.at(-1)).toMatchObject({ sha: FIXED, state: 'failed' }); // probes, limits
    expect(state.calls.filter((c) => c.includes('/discussions') && !c.startsWith('GET'))).toEqual([
      `PUT /api/v4/projects/1/merge_requests/1/discussions/${latest.id}`,
    ]);
    expect(state.discussions.map((d) => d.notes[0]!.resolved)).toEqual(
      state.discussions.map((d) => d === latest),
    );
  });
});
