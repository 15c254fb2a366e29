import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_REPLY_MARKER } from '../../src/core/chatops/format-replies.ts';
import {
  BASE_FILES,
  commandOutcome,
  HEAD_FILES,
  MAIN_LINE,
  mainLineHistory,
  readAudit,
  recordUnmatched,
  sha,
  writesOf,
} from '../support/chatops-e2e.ts';
import { fakeGitLabApi } from '../support/fake-gitlab-api.ts';
import { fakeGitLabChatOps } from '../support/fake-gitlab-chatops.ts';
import { GITLAB_SECRET, gitlabMergeRequestEvent, sendGitLabWebhook } from '../support/gitlab-fixtures.ts';
import { startTestRuntime, type TestRuntime, waitFor } from '../support/start-test-runtime.ts';

// The project and merge request of GitLab's documented "Note Hook" example (test/fixtures/gitlab).
const PROJECT_ID = 5;
const PROJECT = 'gitlab-org/gitlab-test';
const P = `/api/v4/projects/${PROJECT_ID}`;
const IID = 1;
const NOTES = `${P}/merge_requests/${IID}/notes`;
const WEB = `https://gitlab.example.com/${PROJECT}`;
const MR_HEAD = sha('e1');
const MR_BASE = sha('b0');

// !11 merged as M1 (its deployment failed), !12 as C (runs now), !13 as MASTER (not deployed).
const { A, M1, C, HEAD: MASTER } = MAIN_LINE;
const deployment = (
  id: number,
  sha: string,
  environment: string,
  status: 'success' | 'failed',
  at: string,
) => ({
  id,
  iid: id - 40,
  sha,
  environment,
  status,
  finishedAt: at,
  jobId: id + 750,
});

const MEMBERS = {
  reader: { id: 11, username: 'reader', access_level: 10 }, // Guest
  dev: { id: 12, username: 'dev', access_level: 30 }, // Developer
  alice: { id: 13, username: 'alice', access_level: 40 }, // Maintainer
  bob: { id: 14, username: 'bob', access_level: 40 }, // Maintainer
} as const;
type Login = keyof typeof MEMBERS;

/** The notes on the fake GitLab of the running test (the worker reads a note back by id). */
let notesOnGitLab = new Map<number, { body: string; author: { id: number; username: string } }>();

function noteEvent(action: 'created' | 'updated', body: string, login: Login, id: number) {
  const payload = JSON.parse(
    readFileSync(new URL(`../fixtures/gitlab/note-merge-request-${action}.json`, import.meta.url), 'utf8'),
  );
  const member = MEMBERS[login];
  // The note exists on GitLab (the worker reads it back by id before acting on it).
  notesOnGitLab.set(id, { body, author: { id: member.id, username: login } });
  Object.assign(payload.user, { id: member.id, username: login, name: login });
  Object.assign(payload.object_attributes, {
    id,
    note: body,
    author_id: member.id,
    url: `${WEB}/-/merge_requests/${IID}#note_${id}`,
  });
  return payload;
}

describe('GitLab chat-ops over HTTP: Note Hook → command worker → GitLab API', () => {
  let app: TestRuntime | undefined;
  let gitlab: ReturnType<typeof fakeGitLabApi>;
  let chat: ReturnType<typeof fakeGitLabChatOps>['chat'];
  let unmatched: ReturnType<typeof recordUnmatched>;

  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
  });

  afterEach(async () => {
    unmatched.stop();
    gitlab.done();
    await app?.close();
    app = undefined;
    expect(unmatched.list).toEqual([]);
  });

  // GitLab's members of the running test (a test may change one's access level, or add one).
  let members: { id: number; username: string; access_level: number }[] = [];

  async function start(env: Record<string, string> = {}) {
    unmatched = recordUnmatched();
    members = Object.values(MEMBERS).map((m) => ({ ...m }));
    gitlab = fakeGitLabApi({
      projectId: PROJECT_ID,
      iid: IID,
      headSha: MR_HEAD,
      baseSha: MR_BASE,
      files: HEAD_FILES,
      pipelineId: 77,
    });
    gitlab.state.trees[MR_BASE] = BASE_FILES;
    chat = fakeGitLabChatOps(gitlab, {
      projectId: PROJECT_ID,
      projectPath: PROJECT,
      iid: IID,
      members,
      environments: ['staging', 'production'],
      deployments: [
        deployment(53, C, 'production', 'success', '2024-05-01T12:05:00Z'),
        deployment(52, M1, 'production', 'failed', '2024-05-01T11:05:00Z'),
        deployment(49, C, 'staging', 'success', '2024-05-01T10:35:00Z'),
        deployment(51, A, 'production', 'success', '2024-05-01T10:05:00Z'),
      ],
      history: mainLineHistory([
        ["Merge branch 'tea-v2' into 'master'\n\nTea v2 route", 11],
        ["Merge branch 'coffee' into 'master'\n\nCoffee: 6 replicas", 12],
        ["Merge branch 'docs' into 'master'", 13],
      ]),
      mergeRequests: {
        11: { title: 'Tea v2 route' },
        12: { title: 'Coffee: 6 replicas' },
        13: { title: 'Docs' },
      },
      branches: { master: MASTER },
    }).chat;
    notesOnGitLab = chat.notes;
    app = await startTestRuntime({
      GITLAB_URL: 'https://gitlab.example.com',
      GITLAB_TOKEN: 'glpat-test-token',
      GITLAB_WEBHOOK_SECRET: GITLAB_SECRET,
      ...env,
    });
    return app;
  }

  /** Posts the note as a Note Hook delivery and waits for its command job. */
  async function note(body: string, login: Login, id: number): Promise<string> {
    const response = await sendGitLabWebhook(app!.url, noteEvent('created', body, login, id), {
      event: 'Note Hook',
    });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ outcome: 'queued' });
    return commandOutcome(app!, { platform: 'gitlab', project: PROJECT, comment: { id, body } });
  }

  const replies = () => gitlab.state.notes.filter((n) => n.body.startsWith(COMMAND_REPLY_MARKER));
  const lastReply = () => replies().at(-1)!.body;

  it('help from a Guest: 👀 on the note and a reply with only the commands a Guest may run', async () => {
    await start();
    expect(await note('/tollgate help', 'reader', 1301)).toBe('done');
    expect(chat.awards).toEqual([{ noteId: 1301, name: 'eyes', username: 'tollgate-bot' }]);
    const help = lastReply();
    expect(help).toContain('### Tollgate commands for @reader');
    expect(help.split('\n').filter((l) => l.startsWith('| `/tollgate'))).toEqual([
      '| `/tollgate help` | list the commands you may run here |',
    ]);
    expect(help).toContain('`rollback` (maintain or admin access (GitLab: Maintainer))');
    expect(help).toContain('- `staging`\n- `production`');
    expect(writesOf(gitlab.state.calls)).toEqual([`POST ${NOTES}/1301/award_emoji`, `POST ${NOTES}`]);
  });

  it('a dry run from a Maintainer replies with the plan and calls no write endpoint', async () => {
    await start();
    expect(await note('/rollback production --dry-run', 'alice', 1302)).toBe('done');
    const plan = lastReply();
    expect(plan).toContain('Rollback plan (dry run)');
    expect(plan).toContain(`- Runs now: \`${C.slice(0, 12)}\` (deployment [53](${WEB}/-/jobs/803))`);
    expect(plan).toContain(`- Goes back to: \`${A.slice(0, 12)}\` (deployment [51](${WEB}/-/jobs/801))`);
    expect(plan).toContain(`[!12 Coffee: 6 replicas](${WEB}/-/merge_requests/12)`);
    expect(plan).toContain(`[!11 Tea v2 route](${WEB}/-/merge_requests/11)`);
    expect(plan).not.toContain('#13');
    expect(plan).toContain('Dry run: nothing was changed.');
    expect(writesOf(gitlab.state.calls)).toEqual([`POST ${NOTES}/1302/award_emoji`, `POST ${NOTES}`]);
    expect(gitlab.state.calls).toEqual(
      expect.arrayContaining([
        `GET ${P}/deployments`,
        `GET ${P}/repository/compare`,
        `GET ${P}/repository/commits/${C}/merge_requests`,
        `GET ${P}/repository/commits/${M1}/merge_requests`,
      ]),
    );
    expect(await readAudit(app!, PROJECT)).toEqual([]);
  });

  it('refuses a rollback from a Developer, saying what is needed, and touches nothing', async () => {
    await start();
    expect(await note('/tollgate rollback production', 'dev', 1303)).toBe('refused');
    const refusal = lastReply();
    expect(refusal).toContain('`/tollgate rollback production` was refused');
    expect(refusal).toContain('needs maintain or admin access (GitLab: Maintainer); you have write access');
    expect(writesOf(gitlab.state.calls)).toEqual([`POST ${NOTES}/1303/award_emoji`, `POST ${NOTES}`]);
    expect(gitlab.state.calls.filter((c) => /deployments|jobs|branches|revert|compare/.test(c))).toEqual([]);
    expect(await readAudit(app!, PROJECT)).toMatchObject([
      { actor: 'dev', action: 'rollback', environment: 'production', outcome: 'refused', platform: 'gitlab' },
    ]);
  });

  it('rolls back after the requester confirms: the earlier deploy job re-run, a revert branch, revert commits and an MR', async () => {
    await start();
    expect(await note('/tollgate rollback production', 'alice', 1304)).toBe('done');
    const planNote = replies().at(-1)!;
    expect(planNote.body).toContain('@alice comments `/tollgate confirm`');

    expect(await note('/tollgate confirm', 'bob', 1305)).toBe('refused');
    expect(lastReply()).toContain(
      'Only @alice, who asked for this rollback, can confirm it. Nothing was changed.',
    );
    expect(chat.writes.filter((w) => !w.call.endsWith('/award_emoji'))).toEqual([]);

    expect(await note('/tollgate confirm', 'alice', 1306)).toBe('done');
    const branch = `tollgate/rollback-production-${A.slice(0, 8)}`;
    const writes = chat.writes.filter((w) => !w.call.endsWith('/award_emoji'));
    expect(writes.map((w) => w.call)).toEqual([
      `POST ${P}/jobs/801/retry`,
      `POST ${P}/repository/branches`,
      `POST ${P}/repository/commits/${C}/revert`,
      `POST ${P}/repository/commits/${M1}/revert`,
      `POST ${P}/merge_requests`,
    ]);
    expect(writes[1]!.body).toEqual({ branch, ref: 'master' });
    expect(writes[2]!.body).toEqual({ branch });
    expect(writes[3]!.body).toEqual({ branch });
    expect(writes[4]!.body).toMatchObject({
      source_branch: branch,
      target_branch: 'master',
      title: `Roll back production to ${A.slice(0, 12)}`,
      remove_source_branch: true,
    });
    expect(chat.branches.master).toBe(MASTER); // nothing was committed onto master
    expect(chat.branches[branch]).not.toBe(MASTER);

    const progress = gitlab.state.notes.find((n) => n.id === planNote.id)!.body;
    expect(progress).toContain('✅ Rolled back `production`');
    expect(progress).toContain('deploy job 801 of `a0a0a0a0a0a0` re-run as job');
    expect(progress).toContain(`${WEB}/-/merge_requests/100`);

    const audit = await readAudit(app!, PROJECT);
    expect(audit).toMatchObject([
      { actor: 'alice', action: 'rollback', environment: 'production', outcome: 'planned' },
      { actor: 'alice', action: 'rollback', environment: 'production', outcome: 'done' },
    ]);
    expect(audit[1]!.commentUrl).toBe(`${WEB}/-/merge_requests/${IID}#note_1306`);
    expect(audit[1]!.links).toContain(`${WEB}/-/merge_requests/100`);
  });

  it("ignores an edited note (action update) and the bot's own, and runs a redelivered one once", async () => {
    await start();
    const edited = await sendGitLabWebhook(
      app!.url,
      noteEvent('updated', '/tollgate lock production', 'alice', 1307),
      {
        event: 'Note Hook',
      },
    );
    expect(await edited.json()).toEqual({ ignored: 'note update does not run commands' });
    expect(await app!.runtime.commandQueue.getJobCounts()).toMatchObject({
      waiting: 0,
      active: 0,
      completed: 0,
    });

    // The bot's own notes carry no bot flag: the worker knows them by the token's user (GET /user).
    const byBot = noteEvent('created', '/tollgate lock production', 'alice', 1312);
    Object.assign(byBot.user, { id: 99, username: 'tollgate-bot', name: 'Tollgate' });
    chat.notes.set(1312, { body: '/tollgate lock production', author: { id: 99, username: 'tollgate-bot' } });
    await sendGitLabWebhook(app!.url, byBot, { event: 'Note Hook' });
    expect(
      await commandOutcome(app!, { platform: 'gitlab', project: PROJECT, comment: { id: 1312, body: '' } }),
    ).toBe('no-command');
    // Only reads: who the bot is, and .tollgate.yml at the default branch (the comment has a command line).
    expect(gitlab.state.calls.filter((c) => !c.startsWith('GET '))).toEqual([]);
    expect(gitlab.state.calls).toContain('GET /api/v4/user');

    const created = noteEvent('created', '/tollgate lock production', 'alice', 1308);
    const outcomes: unknown[] = [];
    for (const uuid of ['uuid-1', 'uuid-1', 'uuid-2']) {
      const response = await sendGitLabWebhook(app!.url, created, { event: 'Note Hook', uuid });
      outcomes.push(await response.json());
    }
    expect(outcomes).toEqual([
      { outcome: 'queued' },
      { outcome: 'duplicate-comment' },
      { outcome: 'duplicate-comment' },
    ]);
    expect(
      await commandOutcome(app!, { platform: 'gitlab', project: PROJECT, comment: { id: 1308, body: '' } }),
    ).toBe('done');
    expect(chat.awards).toHaveLength(1);
    expect(replies()).toHaveLength(1);
    expect(await readAudit(app!, PROJECT)).toHaveLength(1);
  });

  it('a lock fails the check of a change to production; unlock and recheck pass it; each is audited', async () => {
    await start();
    expect(await note('/tollgate lock production release freeze', 'alice', 1309)).toBe('done');

    const opened = gitlabMergeRequestEvent('open', MR_HEAD);
    Object.assign(opened.project as object, { id: PROJECT_ID, path_with_namespace: PROJECT });
    expect((await sendGitLabWebhook(app!.url, opened)).status).toBe(202);
    await waitFor('the failed status', () => gitlab.state.statuses.some((s) => s.state === 'failed'));
    const report = gitlab.state.notes.find((n) => !n.body.startsWith(COMMAND_REPLY_MARKER))!.body;
    expect(report).toContain('production is locked by @alice');
    expect(report).toContain('release freeze');

    expect(await note('/tollgate unlock production\n/tollgate recheck', 'alice', 1310)).toBe('done,done');
    expect(lastReply()).toContain(`🔁 Re-running the checks on \`${MR_HEAD.slice(0, 12)}\`.`);
    await waitFor('the passing status', () => gitlab.state.statuses.some((s) => s.state === 'success'));
    expect(gitlab.state.statuses.map((s) => s.state)).toEqual(['pending', 'failed', 'pending', 'success']);
    expect(gitlab.state.notes.find((n) => !n.body.startsWith(COMMAND_REPLY_MARKER))!.body).not.toContain(
      'is locked by',
    );

    const audit = await readAudit(app!, PROJECT);
    expect(
      audit.map((r) => [r.actor, r.action, r.environment, r.outcome, r.platform, r.project, r.number]),
    ).toEqual([
      ['alice', 'lock', 'production', 'done', 'gitlab', PROJECT, IID],
      ['alice', 'unlock', 'production', 'done', 'gitlab', PROJECT, IID],
      ['alice', 'recheck', undefined, 'done', 'gitlab', PROJECT, IID],
    ]);
    expect(audit[0]!.commentUrl).toBe(`${WEB}/-/merge_requests/${IID}#note_1309`);
  });

  it('a 👍 by the requester on the plan note confirms it (the poll job), a 👍 by someone else does not', async () => {
    await start({ TOLLGATE_CONFIRM_POLL_MS: '150' });
    expect(await note('/tollgate rollback production', 'alice', 1311)).toBe('done');
    const planId = replies().at(-1)!.id;
    const polls = () => gitlab.state.calls.filter((c) => c === `GET ${NOTES}/${planId}/award_emoji`);
    await waitFor('two polls', () => polls().length >= 2);
    chat.awards.push({ noteId: planId, name: 'thumbsup', username: 'bob' });
    chat.awards.push({ noteId: planId, name: 'heart', username: 'alice' });
    const seen = polls().length;
    await waitFor('another poll', () => polls().length >= seen + 2);
    expect(chat.retried).toEqual([]);

    chat.awards.push({ noteId: planId, name: 'thumbsup', username: 'alice' });
    await waitFor('the revert merge request', () => chat.mergeRequestsOpened.length === 1);
    await waitFor('the progress report', () =>
      gitlab.state.notes.find((n) => n.id === planId)!.body.includes('✅ Rolled back `production`'),
    );
    expect(chat.retried).toEqual([801]);
    const after = polls().length;
    await new Promise((r) => setTimeout(r, 400));
    expect(polls().length).toBe(after);
    expect((await readAudit(app!, PROJECT)).map((r) => r.outcome)).toEqual(['planned', 'done']);
  });

  describe('a note is acted on as GitLab stores it, not as the webhook describes it', () => {
    /** Delivers a Note Hook payload (which may lie) and waits for its command job. */
    async function deliver(payload: object, id: number, project = PROJECT): Promise<string> {
      const response = await sendGitLabWebhook(app!.url, payload, { event: 'Note Hook' });
      expect(response.status).toBe(202);
      return commandOutcome(app!, { platform: 'gitlab', project, comment: { id, body: '' } });
    }

    it('runs nothing for a note id GitLab does not have', async () => {
      await start();
      const forged = noteEvent('created', '/tollgate lock production', 'alice', 1401);
      notesOnGitLab.delete(1401);
      expect(await deliver(forged, 1401)).toBe('comment-not-found');
      expect(writesOf(gitlab.state.calls)).toEqual([]);
      expect(gitlab.state.calls).toContain(`GET ${NOTES}/1401`);
      expect(await readAudit(app!, PROJECT)).toEqual([]);
    });

    it("takes author and body from the API: a Developer's note claimed as a Maintainer's is refused, on the Developer's name", async () => {
      await start();
      const forged = noteEvent('created', '/tollgate lock production', 'alice', 1402);
      notesOnGitLab.set(1402, {
        body: '/tollgate lock production because I say so',
        author: { id: MEMBERS.dev.id, username: 'dev' },
      });
      expect(await deliver(forged, 1402)).toBe('refused');
      expect(lastReply()).toContain('you have write access');
      expect(gitlab.state.calls).toContain(`GET ${P}/members/all/${MEMBERS.dev.id}`);
      expect(gitlab.state.calls).not.toContain(`GET ${P}/members/all/${MEMBERS.alice.id}`);
      expect(await readAudit(app!, PROJECT)).toMatchObject([
        { actor: 'dev', action: 'lock', environment: 'production', outcome: 'refused' },
      ]);
    });

    it('ignores what GitLab says is a system note, and a delivery that names another project', async () => {
      await start();
      const system = noteEvent('created', '/tollgate lock production', 'alice', 1403);
      notesOnGitLab.set(1403, { ...notesOnGitLab.get(1403)!, system: true } as never);
      expect(await deliver(system, 1403)).toBe('system-note');
      // Project 5 is gitlab-org/gitlab-test: a payload calling it something else is not believed.
      const elsewhere = noteEvent('created', '/tollgate lock production', 'alice', 1404);
      Object.assign(elsewhere.project, { path_with_namespace: 'gitlab-org/other' });
      expect(await deliver(elsewhere, 1404, 'gitlab-org/other')).toBe('project-mismatch');
      expect(writesOf(gitlab.state.calls)).toEqual([]);
    });

    it("compares user ids: another account that now holds the login `alice` cannot confirm alice's plan", async () => {
      await start();
      expect(await note('/tollgate rollback production', 'alice', 1405)).toBe('done');
      members.push({ id: 77, username: 'alice', access_level: 40 });
      const confirm = noteEvent('created', '/tollgate confirm', 'alice', 1406);
      notesOnGitLab.set(1406, { body: '/tollgate confirm', author: { id: 77, username: 'alice' } });
      expect(await deliver(confirm, 1406)).toBe('refused');
      expect(lastReply()).toContain('Only @alice, who asked for this rollback, can confirm it.');
      expect(chat.retried).toEqual([]);
      expect(chat.mergeRequestsOpened).toEqual([]);
    });

    it('checks the role again on a 👍: a requester demoted since the plan rolls nothing back', async () => {
      await start({ TOLLGATE_CONFIRM_POLL_MS: '150' });
      expect(await note('/tollgate rollback production', 'alice', 1407)).toBe('done');
      const planId = replies().at(-1)!.id;
      members.find((m) => m.username === 'alice')!.access_level = 30; // Developer now
      chat.awards.push({ noteId: planId, name: 'thumbsup', username: 'alice' });
      await waitFor('the refusal', () => replies().some((r) => r.body.includes('👍 on the rollback plan')));
      expect(lastReply()).toContain('you have write access');
      await new Promise((r) => setTimeout(r, 400));
      expect(chat.retried).toEqual([]);
      expect(chat.mergeRequestsOpened).toEqual([]);
    });

    it('takes a secret per project or group: the global one no longer speaks for that group', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'tollgate-hooks-'));
      const file = join(dir, 'gitlab-webhook-secrets.yaml');
      writeFileSync(file, 'gitlab-org: group-secret-of-gitlab-org\nacme/shop: project-secret-of-shop\n');
      await start({ GITLAB_WEBHOOK_SECRETS_FILE: file });
      const help = noteEvent('created', '/tollgate help', 'reader', 1408);
      const withGlobal = await sendGitLabWebhook(app!.url, help, {
        event: 'Note Hook',
        token: GITLAB_SECRET,
      });
      expect(withGlobal.status).toBe(401);
      const withOther = await sendGitLabWebhook(app!.url, help, {
        event: 'Note Hook',
        token: 'project-secret-of-shop',
      });
      expect(withOther.status).toBe(401);
      const withOwn = await sendGitLabWebhook(app!.url, help, {
        event: 'Note Hook',
        token: 'group-secret-of-gitlab-org',
      });
      expect(withOwn.status).toBe(202);
      expect(
        await commandOutcome(app!, { platform: 'gitlab', project: PROJECT, comment: { id: 1408, body: '' } }),
      ).toBe('done');
      // A project under no configured path still takes the global secret.
      const elsewhere = gitlabMergeRequestEvent('open', MR_HEAD);
      Object.assign(elsewhere.project as object, { id: 6, path_with_namespace: 'other-group/app' });
      const response = await sendGitLabWebhook(app!.url, { ...elsewhere, object_kind: 'unknown' });
      expect(response.status).not.toBe(401);
    });
  });
});
