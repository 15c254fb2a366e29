import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGitLabFindingDiscussions } from '../../../src/adapters/gitlab/sync-gitlab-finding-discussions.ts';
import type { Finding } from '../../../src/core/findings/finding.ts';
import {
  findingThreadMarker,
  selectFindingThreads,
} from '../../../src/core/review/select-finding-threads.ts';

const HOST = 'https://gitlab.example.com';
const MR = '/api/v4/projects/7/merge_requests/3';
const BASE = 'b'.repeat(40);
const START = 'c'.repeat(40);
const HEAD = 'd'.repeat(40);
const BOT = { id: 99, username: 'tollgate-bot' };

const sync = () => createGitLabFindingDiscussions({ host: HOST, token: 'glpat-test', projectId: 7 });

const finding = (i: number, line: number): Finding => ({
  check: 'policy',
  rule: `rule-${i}`,
  severity: 'error',
  blocking: true,
  title: `Rule ${i}`,
  message: `broken ${i}`,
  location: { file: 'deploy/coffee.yaml', line },
});

/** A discussion as GET .../discussions returns it (first note a DiffNote). */
const discussion = (id: string, body: string, author = BOT, resolvedBy: typeof BOT | null = null) => ({
  id,
  individual_note: false,
  notes: [
    {
      id: Number.parseInt(id.slice(0, 6), 16),
      type: 'DiffNote',
      body,
      author,
      system: false,
      resolvable: true,
      resolved: resolvedBy !== null,
      resolved_by: resolvedBy,
    },
  ],
});

function answerReads(scope: nock.Scope, discussions: unknown[], diff: string) {
  scope
    .get('/api/v4/user')
    .reply(200, BOT)
    .get(`${MR}/discussions`)
    .query({ per_page: 100, page: 1 })
    .reply(200, discussions, { 'x-next-page': '', 'x-page': '1', 'x-total-pages': '1' });
  if (diff)
    scope
      .get(MR)
      .reply(200, { iid: 3, sha: HEAD, diff_refs: { base_sha: BASE, head_sha: HEAD, start_sha: START } })
      .get(`${MR}/diffs`)
      .query(true)
      .reply(200, [
        {
          old_path: 'deploy/coffee.yaml',
          new_path: 'deploy/coffee.yaml',
          new_file: false,
          deleted_file: false,
          renamed_file: false,
          diff,
        },
      ]);
}

beforeAll(() => {
  nock.disableNetConnect();
});
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

describe('GitLab finding discussions', () => {
  it('places added lines with new_line and context lines with both; skips lines outside the diff', async () => {
    const threads = selectFindingThreads(
      [finding(1, 5), finding(2, 3), finding(3, 40)],
      new Set(['deploy/coffee.yaml']),
    );
    const scope = nock(HOST);
    answerReads(scope, [], '@@ -2,3 +2,4 @@\n a: 1\n b: 2\n+c: 3\n d: 4\n');
    const positions: unknown[] = [];
    scope
      .post(`${MR}/discussions`)
      .times(1)
      .reply(201, (_u, body) => {
        positions.push((body as { position: unknown }).position);
        return discussion('a1b2c3', (body as { body: string }).body);
      })
      .post(`${MR}/discussions`)
      .reply(400, { message: '400 Bad request - Note {:line_code=>["can\'t be blank"]}' });
    const result = await sync()(3, HEAD, threads);
    expect(result).toEqual({ created: 1, resolved: 0, reopened: 0, skipped: 2, deferred: 0 });
    expect(positions).toEqual([
      {
        base_sha: BASE,
        start_sha: START,
        head_sha: HEAD,
        position_type: 'text',
        old_path: 'deploy/coffee.yaml',
        new_path: 'deploy/coffee.yaml',
        new_line: 3,
        old_line: 3,
      },
    ]);
  });

  it("caps writes at 10 per run, resolves only the bot's own threads, and reads nothing more when nothing is new", async () => {
    const many = Array.from({ length: 25 }, (_, i) => finding(i, i + 1));
    const threads = selectFindingThreads(many, new Set(['deploy/coffee.yaml']));
    const scope = nock(HOST);
    const lines = Array.from({ length: 25 }, (_, i) => `+line${i + 1}`).join('\n');
    answerReads(scope, [], `@@ -0,0 +1,25 @@\n${lines}\n`);
    scope.post(`${MR}/discussions`).times(10).reply(201, discussion('abcdef', 'x'));
    expect(await sync()(3, HEAD, threads)).toMatchObject({ created: 10, deferred: 15 });

    const gone = nock(HOST);
    answerReads(
      gone,
      [
        discussion('0000aa', `${findingThreadMarker('0123456789abcdef')}\nold finding`),
        discussion('0000bb', `${findingThreadMarker('fedcba9876543210')}\ncopied by a person`, {
          id: 5,
          username: 'alice',
        }),
        discussion('0000cc', `${threads[0]!.body}`),
      ],
      '',
    );
    gone
      .put(`${MR}/discussions/0000aa`)
      .query({ resolved: 'true' })
      .reply(200, discussion('0000aa', 'x', BOT, BOT));
    expect(await sync()(3, HEAD, [threads[0]!])).toEqual({
      created: 0,
      resolved: 1,
      reopened: 0,
      skipped: 0,
      deferred: 0,
    });
  });

  it('does nothing when the head moved on before a discussion could be placed', async () => {
    const threads = selectFindingThreads([finding(1, 1)], new Set(['deploy/coffee.yaml']));
    nock(HOST)
      .get('/api/v4/user')
      .reply(200, BOT)
      .get(`${MR}/discussions`)
      .query(true)
      .reply(200, [])
      .get(MR)
      .reply(200, {
        iid: 3,
        sha: 'e'.repeat(40),
        diff_refs: { base_sha: BASE, head_sha: 'e'.repeat(40), start_sha: START },
      });
    expect(await sync()(3, HEAD, threads)).toEqual({ superseded: true });
  });
});
