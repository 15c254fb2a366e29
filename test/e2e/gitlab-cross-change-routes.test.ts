import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import nock from 'nock';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRedisRouteSnapshotStore } from '../../src/adapters/redis/create-redis-route-snapshot-store.ts';
import { fakeGitLabRepository } from '../support/fake-gitlab-repository.ts';
import { GITLAB_SECRET, gitlabMergeRequestEvent, sendGitLabWebhook } from '../support/gitlab-fixtures.ts';
import { REDIS_URL, startTestRuntime, type TestRuntime, waitFor } from '../support/start-test-runtime.ts';

const HOST = 'https://gitlab.example.com';
const P = '/api/v4/projects/1';
const BASE = 'b'.repeat(40);
const HEADS: Record<number, string> = { 11: '1'.repeat(40), 12: '2'.repeat(40), 13: '3'.repeat(40) };

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/routes-cross/${name}`, import.meta.url), 'utf8');
const base = { 'deploy/gateway.yaml': fixture('gateway.yaml') };
const added: Record<number, [string, string]> = {
  11: ['deploy/coffee-route.yaml', fixture('coffee-route.yaml')],
  12: ['deploy/coffee-v2-route.yaml', fixture('coffee-v2-route.yaml')],
  13: ['deploy/tea-route.yaml', fixture('tea-route.yaml')],
};

interface Note {
  id: number;
  body: string;
  system: boolean;
  author: { id: number; username: string };
}

/**
 * GitLab's merge request endpoints for several open MRs of one project (shapes as documented);
 * repository reads come from fakeGitLabRepository.
 */
function fakeMergeRequests(numbers: number[]) {
  const notes = new Map<number, Note[]>(numbers.map((n) => [n, []]));
  const statuses: { sha: string; state: string }[] = [];
  const mrReads: number[] = [];
  let nextId = 900;
  const iid = (uri: string) => Number(/merge_requests\/(\d+)/.exec(uri)![1]);
  const scope = nock(HOST)
    .persist()
    .get('/api/v4/user')
    .reply(200, { id: 99, username: 'tollgate-bot', bot: true })
    .get(new RegExp(`^${P}/merge_requests/\\d+$`))
    .reply((uri) => {
      const n = iid(uri);
      mrReads.push(n);
      return [
        200,
        {
          id: 100 + n,
          iid: n,
          project_id: 1,
          state: 'opened',
          target_branch: 'main',
          source_branch: `feature-${n}`,
          sha: HEADS[n],
          diff_refs: { base_sha: BASE, head_sha: HEADS[n], start_sha: BASE },
          web_url: `${HOST}/gitlabhq/gitlab-test/-/merge_requests/${n}`,
        },
      ];
    })
    .get(new RegExp(`^${P}/merge_requests/\\d+/diffs`))
    .reply((uri) => [
      200,
      [
        {
          old_path: added[iid(uri)]![0],
          new_path: added[iid(uri)]![0],
          new_file: true,
          renamed_file: false,
          deleted_file: false,
          diff: '',
        },
      ],
    ])
    .get(`${P}/repository/compare`)
    .query(true)
    .reply(200, { commit: null, commits: [], diffs: [], compare_timeout: false, compare_same_ref: false })
    .get(new RegExp(`^${P}/repository/commits/[0-9a-f]{40}$`))
    .reply(200, { id: 'x', last_pipeline: null })
    .post(new RegExp(`^${P}/statuses/[0-9a-f]{40}$`))
    .reply((uri, body) => {
      const sha = uri.split('/').pop()!;
      statuses.push({ sha, state: (body as { state: string }).state });
      return [201, { id: nextId++, sha, status: (body as { state: string }).state, name: 'tollgate' }];
    })
    .get(new RegExp(`^${P}/merge_requests/\\d+/notes`))
    .reply((uri) => [200, notes.get(iid(uri))])
    .post(new RegExp(`^${P}/merge_requests/\\d+/notes$`))
    .reply((uri, body) => {
      const note = {
        id: nextId++,
        body: (body as { body: string }).body,
        system: false,
        author: { id: 99, username: 'tollgate-bot' },
      };
      notes.get(iid(uri))!.push(note);
      return [201, note];
    })
    .put(new RegExp(`^${P}/merge_requests/\\d+/notes/\\d+$`))
    .reply((uri, body) => {
      const note = notes.get(iid(uri))!.find((x) => x.id === Number(uri.split('/').pop()));
      note!.body = (body as { body: string }).body;
      return [200, note];
    })
    .get(new RegExp(`^${P}/merge_requests/\\d+/discussions`))
    .reply(200, [], { 'x-next-page': '' });
  return {
    notes,
    statuses,
    mrReads,
    done() {
      scope.persist(false);
      nock.cleanAll();
    },
  };
}

function openEvent(number: number) {
  const payload = gitlabMergeRequestEvent('open', HEADS[number]!) as {
    object_attributes: Record<string, unknown>;
  };
  payload.object_attributes.iid = number;
  payload.object_attributes.source_branch = `feature-${number}`;
  payload.object_attributes.target_branch = 'main';
  return payload;
}

describe('GitLab: route conflicts between open merge requests to the same branch', () => {
  let app: TestRuntime;
  let mrs: ReturnType<typeof fakeMergeRequests>;
  let repo: ReturnType<typeof fakeGitLabRepository>;

  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
  });
  beforeEach(async () => {
    app = await startTestRuntime({
      GITLAB_URL: HOST,
      GITLAB_TOKEN: 'glpat-test-token',
      GITLAB_WEBHOOK_SECRET: GITLAB_SECRET,
      // This fake serves trees per ref through the tree API; archives are tested in gitlab-pipe.
      TOLLGATE_TREE_SOURCE: 'api',
    });
    repo = fakeGitLabRepository({
      host: HOST,
      projectId: 1,
      branches: { main: BASE },
      commits: {
        [BASE]: base,
        ...Object.fromEntries(
          Object.entries(HEADS).map(([n, sha]) => [
            sha,
            { ...base, [added[Number(n)]![0]]: added[Number(n)]![1] },
          ]),
        ),
      },
    });
    mrs = fakeMergeRequests([11, 12, 13]);
  });
  afterEach(async () => {
    repo.done();
    mrs.done();
    await app.close();
  });

  const completed = async () => (await app.runtime.queue.getJobCounts()).completed ?? 0;

  it('warns both merge requests that add the same HTTPRoute match, once, without ping-pong', async () => {
    await sendGitLabWebhook(app.url, openEvent(11));
    await waitFor('!11 checked', async () => (await completed()) === 1);
    expect(mrs.notes.get(11)![0]!.body).not.toContain('once both merge');

    await sendGitLabWebhook(app.url, openEvent(12));
    // !12's own check, then the check of !11 that !12's new conflict asked for.
    await waitFor('!12 and the recheck of !11', async () => (await completed()) === 2 + 1);
    const twelve = mrs.notes.get(12)![0]!.body;
    const eleven = mrs.notes.get(11)![0]!.body;
    expect(twelve).toContain('collides with !11 once both merge');
    expect(eleven).toContain('collides with !12 once both merge');
    for (const body of [eleven, twelve]) expect(body).toMatch(/cafe\.example\.com|\/coffee/);
    // Warnings, not blocks: each change is fine on its own.
    expect(mrs.statuses.filter((s) => s.state === 'failed')).toEqual([]);

    // Nothing new: a third, unrelated merge request tells nobody, and nobody is asked again.
    await sendGitLabWebhook(app.url, openEvent(13));
    await waitFor('!13 checked', async () => (await completed()) === 4);
    await new Promise((r) => setTimeout(r, 300));
    expect(await completed()).toBe(4);
    expect(mrs.notes.get(13)![0]!.body).not.toContain('once both merge');
    const jobs = await app.runtime.queue.getJobs(['completed']);
    expect(
      jobs
        .filter((j) => j.data.crossChangeOf !== undefined)
        .map((j) => [j.data.number, j.data.crossChangeOf]),
    ).toEqual([[11, 12]]);

    // The reconciler's list of open MRs forgets the closed ones.
    const redis = new Redis(REDIS_URL);
    const store = createRedisRouteSnapshotStore(redis, app.config.queuePrefix);
    const scope = { platform: 'gitlab' as const, project: 'gitlabhq/gitlab-test' };
    expect(
      (await store.listOthers({ ...scope, targetBranch: 'main' }, 0)).map((s) => s.number).sort(),
    ).toEqual([11, 12, 13]);
    expect(await store.retainOpen(scope, [12, 13])).toEqual([11]);
    expect((await store.listOthers({ ...scope, targetBranch: 'main' }, 12)).map((s) => s.number)).toEqual([
      13,
    ]);
  });
});
