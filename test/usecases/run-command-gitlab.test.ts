import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGitLabCommandPlatform } from '../../src/adapters/gitlab/create-gitlab-command-platform.ts';
import type { CommandDeps, CommandRequest } from '../../src/usecases/command-deps.ts';
import { runCommands } from '../../src/usecases/run-command.ts';
import { createTestStores, recordCalls, writes } from './chatops-test-kit.ts';

const HOST = 'https://gitlab.example.com';
const P = '/api/v4/projects/5';
const A = 'a'.repeat(40);
const C = 'c'.repeat(40);
const M1 = '1'.repeat(40);
const F1 = 'f'.repeat(40);
const BOT_ID = 99;

const kit = createTestStores();

function deps(): CommandDeps {
  return {
    platform: createGitLabCommandPlatform({
      host: HOST,
      token: 'glpat-test',
      projectId: 5,
      projectPath: 'gitlab-org/gitlab-test',
    }),
    stores: kit.stores,
    requestRecheck: async () => undefined,
    settings: { environments: ['production'] },
  };
}

const request = (body: string, noteId: number, login = 'root', id = 1): CommandRequest => ({
  thread: { number: 1, kind: 'merge_request' },
  comment: { id: noteId, body, url: `${HOST}/gitlab-org/gitlab-test/-/merge_requests/1#note_${noteId}` },
  author: { login, id },
  defaultBranch: 'master',
});

const deployment = (id: number, sha: string, jobId: number) => ({
  id,
  iid: id - 40,
  ref: 'master',
  sha,
  status: 'success',
  created_at: '2024-05-01T10:00:00.000Z',
  finished_at: '2024-05-01T10:05:00.000Z',
  deployable: {
    id: jobId,
    status: 'success',
    stage: 'deploy',
    name: 'deploy-production',
    web_url: `${HOST}/gitlab-org/gitlab-test/-/jobs/${jobId}`,
  },
  environment: { id: 9, name: 'production' },
});

function answerCommon(scope: nock.Scope) {
  scope.get('/api/v4/user').reply(200, { id: BOT_ID, username: 'tollgate-bot' });
  scope.post(/\/notes\/\d+\/award_emoji$/).reply(201, { id: 1, name: 'eyes' });
  scope.get(`${P}/members/all/1`).reply(200, { id: 1, username: 'root', access_level: 40, state: 'active' });
  scope
    .post(`${P}/merge_requests/1/notes`)
    .reply(201, () => ({ id: 7000 + Math.floor(Math.random() * 1000), body: '' }));
}

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterEach(() => {
  nock.cleanAll();
});
afterAll(async () => {
  nock.enableNetConnect();
  await kit.cleanup();
});

describe('chat-ops on GitLab', () => {
  it('ignores notes written by the bot itself', async () => {
    const scope = nock(HOST);
    scope.get('/api/v4/user').reply(200, { id: BOT_ID, username: 'tollgate-bot' });
    const calls = recordCalls(scope);
    expect(await runCommands(deps(), request('/tollgate help', 1300, 'tollgate-bot', BOT_ID))).toEqual([]);
    expect(writes(calls)).toEqual([]);
  });

  it('plans from the deployments API, then retries the deploy job and reverts merge commits on a new branch', async () => {
    const scope = nock(HOST);
    answerCommon(scope);
    scope
      .get(`${P}/deployments`)
      .query({
        environment: 'production',
        status: 'success',
        order_by: 'finished_at',
        sort: 'desc',
        per_page: '20',
      })
      .reply(200, [deployment(52, C, 802), deployment(51, A, 801)]);
    scope
      .get(`${P}/repository/compare`)
      .query({ from: A, to: C })
      .reply(200, {
        commit: { id: C },
        commits: [
          { id: F1, title: 'feature', parent_ids: [A] },
          { id: M1, title: "Merge branch 'tea-v2' into 'master'", parent_ids: [A, F1] },
          { id: C, title: "Merge branch 'coffee' into 'master'", parent_ids: [M1, F1] },
        ],
        diffs: [],
        compare_timeout: false,
        compare_same_ref: false,
      });
    scope.get(`${P}/repository/commits/${C}/merge_requests`).reply(200, [
      {
        iid: 12,
        title: 'Coffee replicas',
        web_url: `${HOST}/gitlab-org/gitlab-test/-/merge_requests/12`,
        state: 'merged',
      },
    ]);
    scope.get(`${P}/repository/commits/${M1}/merge_requests`).reply(200, [
      {
        iid: 11,
        title: 'Tea v2',
        web_url: `${HOST}/gitlab-org/gitlab-test/-/merge_requests/11`,
        state: 'merged',
      },
    ]);
    const planBodies: string[] = [];
    scope.on('request', (_req, _interceptor, body) => {
      if (body?.includes('"body"')) planBodies.push((JSON.parse(body) as { body: string }).body);
    });
    const plan = await runCommands(deps(), request('/rollback production', 1301));
    expect(plan).toMatchObject([{ outcome: 'done', detail: 'planned' }]);
    expect(scope.isDone()).toBe(true);
    // GitLab's words: merge requests are `!12`, never GitHub's `#12`.
    const planBody = planBodies.find((b) => b.includes('Rollback plan'))!;
    expect(planBody).toContain('**Merge requests undone (2)**');
    expect(planBody).toContain(`[!12 Coffee replicas](${HOST}/gitlab-org/gitlab-test/-/merge_requests/12)`);
    expect(planBody).not.toMatch(/#1[12]\b/);

    const confirm = nock(HOST);
    const calls = recordCalls(confirm);
    confirm.get('/api/v4/user').reply(200, { id: BOT_ID, username: 'tollgate-bot' });
    confirm.post(/\/notes\/\d+\/award_emoji$/).reply(201, { id: 2, name: 'eyes' });
    confirm
      .get(`${P}/members/all/1`)
      .reply(200, { id: 1, username: 'root', access_level: 40, state: 'active' });
    confirm
      .put(/\/api\/v4\/projects\/5\/merge_requests\/1\/notes\/\d+$/)
      .times(3)
      .reply(200, { id: 1 });
    confirm
      .post(`${P}/jobs/801/retry`)
      .reply(201, { id: 901, web_url: `${HOST}/gitlab-org/gitlab-test/-/jobs/901` });
    confirm
      .post(`${P}/repository/branches`, { branch: 'tollgate/rollback-production-aaaaaaaa', ref: 'master' })
      .reply(201, { name: 'tollgate/rollback-production-aaaaaaaa' });
    confirm
      .post(`${P}/repository/commits/${C}/revert`, { branch: 'tollgate/rollback-production-aaaaaaaa' })
      .reply(201, { id: '2'.repeat(40) });
    confirm
      .post(`${P}/repository/commits/${M1}/revert`, { branch: 'tollgate/rollback-production-aaaaaaaa' })
      .reply(201, { id: '3'.repeat(40) });
    confirm
      .post(
        `${P}/merge_requests`,
        (b) => b.source_branch === 'tollgate/rollback-production-aaaaaaaa' && b.target_branch === 'master',
      )
      .reply(201, { iid: 13, web_url: `${HOST}/gitlab-org/gitlab-test/-/merge_requests/13` });
    const done = await runCommands(deps(), request('/tollgate confirm', 1302));
    expect(done).toMatchObject([{ outcome: 'done', detail: 'redeploy:done,revert:done' }]);
    // Reverts go newest first, onto the new branch, never onto master.
    expect(writes(calls).filter((c) => c.includes('/revert'))).toEqual([
      `POST ${P}/repository/commits/${C}/revert`,
      `POST ${P}/repository/commits/${M1}/revert`,
    ]);
    expect(confirm.isDone()).toBe(true);
  });

  it('says exactly what was done when a revert conflicts', async () => {
    const scope = nock(HOST);
    answerCommon(scope);
    scope
      .get(`${P}/deployments`)
      .query(true)
      .reply(200, [deployment(62, C, 812), deployment(61, A, 811)]);
    scope
      .get(`${P}/repository/compare`)
      .query(true)
      .reply(200, {
        commits: [{ id: C, title: 'direct commit', parent_ids: [A] }],
        diffs: [],
      });
    scope.get(`${P}/repository/commits/${C}/merge_requests`).reply(200, []);
    await runCommands(deps(), request('/tollgate rollback production', 1310));

    const confirm = nock(HOST);
    confirm.get('/api/v4/user').reply(200, { id: BOT_ID, username: 'tollgate-bot' });
    confirm.post(/\/notes\/\d+\/award_emoji$/).reply(201, {});
    confirm.get(`${P}/members/all/1`).reply(200, { access_level: 40, state: 'active' });
    const bodies: string[] = [];
    confirm
      .put(/\/notes\/\d+$/)
      .times(3)
      .reply(200, (_u, b) => {
        bodies.push((b as { body: string }).body);
        return {};
      });
    confirm.post(`${P}/jobs/811/retry`).reply(201, { id: 911 });
    confirm.post(`${P}/repository/branches`).reply(201, {});
    confirm
      .post(`${P}/repository/commits/${C}/revert`)
      .reply(400, { message: 'Sorry, we cannot revert this commit automatically.', error_code: 'conflict' });
    const result = await runCommands(deps(), request('/tollgate confirm', 1311));
    expect(result).toMatchObject([{ outcome: 'failed', detail: 'redeploy:done,revert:failed' }]);
    expect(bodies.at(-1)).toContain('did not fully complete');
    expect(bodies.at(-1)).toContain('cannot revert this commit automatically');
    expect(bodies.at(-1)).toContain('done before that: branch tollgate/rollback-production-aaaaaaaa created');
    const [audit] = await kit.stores.audit.read({ project: 'gitlab-org/gitlab-test' });
    expect(audit).toMatchObject({ outcome: 'partial', action: 'rollback' });
    expect(confirm.isDone()).toBe(true);
  });
});
