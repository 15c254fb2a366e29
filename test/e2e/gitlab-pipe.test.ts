import nock from 'nock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { REPORT_MARKER } from '../../src/core/report/format-comment.ts';
import { fakeGitLabApi } from '../support/fake-gitlab-api.ts';
import { GITLAB_SECRET, gitlabMergeRequestEvent, sendGitLabWebhook } from '../support/gitlab-fixtures.ts';
import { startTestRuntime, type TestRuntime, waitFor } from '../support/start-test-runtime.ts';

const HEAD = 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7';
const NEXT_HEAD = '2222222222222222222222222222222222222222';
const BASE = 'b83d6e391c22777fca1ed3012fce84f633d7fed0';

const VALID = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: coffee\nspec:\n  ports:\n  - port: 80\n';
const DUPLICATE_KEY = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: tea\n  name: tea2\n';

describe('GitLab: webhook → queue → worker → commit status + sticky note', () => {
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
    });
  });

  afterEach(async () => {
    gitlab?.done();
    await app.close();
  });

  const setup = (files: Record<string, string>) => {
    gitlab = fakeGitLabApi({ projectId: 1, iid: 1, headSha: HEAD, baseSha: BASE, files, pipelineId: 77 });
    return gitlab;
  };

  it('checks a merge request, then edits the same note when new commits arrive', async () => {
    const { state } = setup({ 'deploy/coffee.yaml': VALID });
    const response = await sendGitLabWebhook(app.url, gitlabMergeRequestEvent('open', HEAD));
    expect(response.status).toBe(202);
    await waitFor('the success status', () => state.statuses.some((s) => s.state === 'success'));
    // The line discussions are synced after the verdict: wait for the whole job.
    await waitFor('the job', async () => (await app.runtime.queue.getJobCounts()).completed === 1);
    // Order-insensitive where the review reads base and head in parallel.
    expect(state.calls.slice(0, 4)).toEqual([
      'GET /api/v4/projects/1/merge_requests/1',
      `GET /api/v4/projects/1/repository/commits/${HEAD}`,
      `POST /api/v4/projects/1/statuses/${HEAD}`,
      'GET /api/v4/projects/1/merge_requests/1/diffs',
    ]);
    expect(state.calls.slice(-7).sort()).toEqual(
      [
        'GET /api/v4/projects/1/merge_requests/1/notes',
        'GET /api/v4/user',
        'POST /api/v4/projects/1/merge_requests/1/notes',
        `GET /api/v4/projects/1/repository/commits/${HEAD}`,
        `POST /api/v4/projects/1/statuses/${HEAD}`,
        // After the verdict: line discussions (none to write for a passing change).
        'GET /api/v4/user',
        'GET /api/v4/projects/1/merge_requests/1/discussions',
      ].sort(),
    );
    const reads = state.calls.slice(4, -7);
    // The trees: one archive download per commit, no tree listing, no per-file reads.
    expect(reads.filter((c) => c.endsWith('/repository/archive.tar.gz'))).toHaveLength(2);
    expect(state.archives.sort()).toEqual([BASE, HEAD].sort());
    expect(reads.filter((c) => c.includes('/repository/tree') || c.includes('/repository/blobs/'))).toEqual(
      [],
    );
    expect(reads.filter((c) => c === 'GET /api/v4/projects/1/merge_requests/1')).toHaveLength(1); // head moved?
    // Attached to the MR's existing pipeline, named tollgate, pending first.
    expect(state.statuses.map((s) => [s.state, s.name, s.pipeline_id])).toEqual([
      ['pending', 'tollgate', 77],
      ['success', 'tollgate', 77],
    ]);
    expect(state.notes).toHaveLength(1);
    expect(state.notes[0]!.body).toContain(REPORT_MARKER);

    state.headSha = NEXT_HEAD;
    state.files['deploy/tea.yaml'] = DUPLICATE_KEY;
    state.calls.length = 0;
    state.archives.length = 0;
    await sendGitLabWebhook(app.url, gitlabMergeRequestEvent('update', NEXT_HEAD, HEAD));
    await waitFor('the failed status', () =>
      state.statuses.some((s) => s.sha === NEXT_HEAD && s.state === 'failed'),
    );
    expect(state.archives).toEqual([NEXT_HEAD]); // the base came from the worker's cache
    expect(state.calls).toContain(`PUT /api/v4/projects/1/merge_requests/1/notes/${state.notes[0]!.id}`);
    expect(state.calls).not.toContain('POST /api/v4/projects/1/merge_requests/1/notes');
    expect(state.notes).toHaveLength(1);
    expect(state.notes[0]!.body).toContain('merge blocked');
    expect(state.notes[0]!.body).toMatch(/deploy\/tea\.yaml:5/);
  });

  it('refuses a missing or wrong X-Gitlab-Token with 401 and queues nothing', async () => {
    setup({});
    expect(
      (await sendGitLabWebhook(app.url, gitlabMergeRequestEvent('open', HEAD), { token: 'wrong' })).status,
    ).toBe(401);
    expect(
      (await sendGitLabWebhook(app.url, gitlabMergeRequestEvent('open', HEAD), { token: null })).status,
    ).toBe(401);
    expect(await app.runtime.queue.getJobCounts()).toMatchObject({
      waiting: 0,
      active: 0,
      completed: 0,
      delayed: 0,
    });
    expect(gitlab.state.calls).toEqual([]);
  });

  it('ignores an update without new commits, and de-duplicates a redelivery', async () => {
    const { state } = setup({ 'deploy/coffee.yaml': VALID });
    const titleEdit = await sendGitLabWebhook(app.url, gitlabMergeRequestEvent('update', HEAD));
    expect(await titleEdit.json()).toEqual({ ignored: 'update without new commits (no oldrev)' });
    const payload = gitlabMergeRequestEvent('open', HEAD);
    await sendGitLabWebhook(app.url, payload, { uuid: 'uuid-1' });
    const again = await sendGitLabWebhook(app.url, payload, { uuid: 'uuid-1' });
    expect(await again.json()).toEqual({ outcome: 'duplicate-delivery' });
    await waitFor('the job', async () => (await app.runtime.queue.getJobCounts()).completed === 1);
    expect(state.statuses.filter((s) => s.state === 'success')).toHaveLength(1);
    expect(state.notes).toHaveLength(1);
  });

  it('treats "Cannot transition status" as done, and retries a 502 with one note in the end', async () => {
    const { state } = setup({ 'deploy/coffee.yaml': VALID });
    state.failures.push({
      call: `POST /api/v4/projects/1/statuses/${HEAD}`,
      status: 400,
      body: { message: 'Cannot transition status via :run from :running' },
    });
    state.failures.push({ call: 'POST /api/v4/projects/1/merge_requests/1/notes', status: 502 });
    await sendGitLabWebhook(app.url, gitlabMergeRequestEvent('open', HEAD));
    await waitFor('the success status', () => state.statuses.some((s) => s.state === 'success'));
    expect(state.calls.filter((c) => c === 'POST /api/v4/projects/1/merge_requests/1/notes')).toHaveLength(2);
    expect(state.notes).toHaveLength(1);
  });
});
