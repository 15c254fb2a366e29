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
import { fakeGitHubApi } from '../support/fake-github-api.ts';
import { fakeGitHubChatOps } from '../support/fake-github-chatops.ts';
import {
  githubExample,
  pullRequestCommentEvent,
  pullRequestOpenedEvent,
  sendGitHubWebhook,
  testPrivateKey,
  WEBHOOK_SECRET,
} from '../support/github-fixtures.ts';
import { startTestRuntime, type TestRuntime, waitFor } from '../support/start-test-runtime.ts';

const OWNER = 'Codertocat';
const REPO = 'Hello-World';
const PROJECT = `${OWNER}/${REPO}`;
const R = `/repos/${PROJECT}`;
const PR = 2;
const PR_HEAD = sha('e1');
const PR_BASE = sha('b0');

// #40 merged as M1 (its deployment failed), #41 as C (runs now), #42 as MAIN_HEAD (not deployed).
const { A, M1, C, HEAD: MAIN_HEAD, TREE_A } = MAIN_LINE;
const deployment = (id: number, sha: string, environment: string, states: string[], createdAt: string) => ({
  id,
  sha,
  environment,
  states,
  createdAt,
});

const USERS = {
  reader: { permission: 'read', role_name: 'read' },
  dev: { permission: 'write', role_name: 'write' },
  alice: { permission: 'write', role_name: 'maintain' },
  bob: { permission: 'admin', role_name: 'admin' },
} as const;
type Login = keyof typeof USERS;

function commentEvent(action: 'created' | 'edited', body: string, login: Login, id: number) {
  return pullRequestCommentEvent(action, { project: PROJECT, number: PR }, { body, login, id });
}

describe('GitHub chat-ops over HTTP: signed issue_comment → command worker → GitHub API', () => {
  let app: TestRuntime | undefined;
  let github: ReturnType<typeof fakeGitHubApi>;
  let chat: ReturnType<typeof fakeGitHubChatOps>['chat'];
  let unmatched: ReturnType<typeof recordUnmatched>;

  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
  });

  afterEach(async () => {
    unmatched.stop();
    github.done();
    await app?.close();
    app = undefined;
    // Every platform request was answered by an interceptor (none fell through and failed).
    expect(unmatched.list).toEqual([]);
  });

  async function start(
    env: Record<string, string> = {},
    environments: string[] | 'forbidden' = ['staging', 'production'],
  ) {
    unmatched = recordUnmatched();
    github = fakeGitHubApi({
      owner: OWNER,
      repo: REPO,
      number: PR,
      headSha: PR_HEAD,
      baseSha: PR_BASE,
      files: HEAD_FILES,
    });
    github.state.trees[PR_BASE] = BASE_FILES;
    chat = fakeGitHubChatOps(github, {
      owner: OWNER,
      repo: REPO,
      collaborators: USERS,
      environments,
      deployments: [
        deployment(303, C, 'production', ['success', 'in_progress'], '2024-05-01T12:00:00Z'),
        deployment(302, M1, 'production', ['failure'], '2024-05-01T11:00:00Z'),
        deployment(205, C, 'staging', ['success'], '2024-05-01T10:30:00Z'),
        deployment(301, A, 'production', ['success'], '2024-05-01T10:00:00Z'),
      ],
      history: mainLineHistory([
        ['Merge pull request #40 from Codertocat/tea-v2\n\nTea v2 route', 40],
        ['Merge pull request #41 from Codertocat/coffee\n\nCoffee: 6 replicas', 41],
        ['Merge pull request #42 from Codertocat/docs', 42],
      ]),
      pulls: {
        40: { title: 'Tea v2 route', merged_at: '2024-05-01T10:40:00Z' },
        41: { title: 'Coffee: 6 replicas', merged_at: '2024-05-01T11:40:00Z' },
        42: { title: 'Docs', merged_at: '2024-05-01T12:30:00Z' },
      },
      branches: { master: MAIN_HEAD },
    }).chat;
    // GitHub's write pacing (1 s, 3 s for comments) is off: these tests count requests, not time them.
    app = await startTestRuntime(
      { APP_ID: '123', PRIVATE_KEY: testPrivateKey(), WEBHOOK_SECRET, ...env },
      { githubPacing: false },
    );
    return app;
  }

  /** Posts the comment as a signed `issue_comment` delivery and waits for its command job. */
  async function comment(body: string, login: Login, id: number): Promise<string> {
    const response = await sendGitHubWebhook(
      app!.url,
      'issue_comment',
      commentEvent('created', body, login, id),
    );
    expect(response.status).toBe(200);
    return commandOutcome(app!, { platform: 'github', project: PROJECT, comment: { id, body } });
  }

  const replies = () => github.state.comments.filter((c) => c.body.startsWith(COMMAND_REPLY_MARKER));
  const lastReply = () => replies().at(-1)!.body;

  it('help from a reader: 👀 on the comment and a reply with only the commands a reader may run', async () => {
    await start();
    expect(await comment('/tollgate help', 'reader', 5001)).toBe('done');
    expect(chat.reactions).toEqual([{ commentId: 5001, content: 'eyes', login: 'tollgate[bot]' }]);
    expect(replies()).toHaveLength(1);
    const help = lastReply();
    expect(help).toContain('### Tollgate commands for @reader');
    const rows = help.split('\n').filter((l) => l.startsWith('| `/tollgate'));
    expect(rows).toEqual(['| `/tollgate help` | list the commands you may run here |']);
    expect(help).toContain('Other commands need more access: `recheck` (write access');
    expect(help).toContain('- `production`');
    expect(writesOf(github.state.calls)).toEqual([
      `POST ${R}/issues/comments/5001/reactions`,
      `POST ${R}/issues/${PR}/comments`,
    ]);
  });

  it('a dry run from a maintainer replies with the plan and calls no write endpoint', async () => {
    await start();
    expect(await comment('/tollgate rollback production --dry-run', 'alice', 5002)).toBe('done');
    const plan = lastReply();
    expect(plan).toContain('Rollback plan (dry run)');
    expect(plan).toContain(`- Runs now: \`${C.slice(0, 12)}\` (deployment [303]`);
    expect(plan).toContain(`- Goes back to: \`${A.slice(0, 12)}\` (deployment [301]`);
    expect(plan).toContain(`[#41 Coffee: 6 replicas](https://github.com/${PROJECT}/pull/41)`);
    expect(plan).toContain(`[#40 Tea v2 route](https://github.com/${PROJECT}/pull/40)`);
    // #42 was merged after what runs: not undone by the rollback itself, but the revert (which
    // returns the branch to the target's tree) would undo it too, and the plan warns about it.
    expect(plan.slice(0, plan.indexOf('<details>'))).not.toContain('#42');
    expect(plan).toMatch(
      /> \[!WARNING\]\n> `master` has 1 commit merged after what runs in `production` \(not deployed yet: `[0-9a-f]{12}` Merge pull request #42/,
    );
    expect(plan).toContain('Dry run: nothing was changed.');
    // Reads only, apart from the 👀 and the reply.
    expect(writesOf(github.state.calls)).toEqual([
      `POST ${R}/issues/comments/5002/reactions`,
      `POST ${R}/issues/${PR}/comments`,
    ]);
    expect(github.state.calls).toEqual(
      expect.arrayContaining([
        `GET ${R}/deployments`,
        `GET ${R}/compare/${A}...${C}`,
        `GET ${R}/commits/${C}/pulls`,
        `GET ${R}/commits/${M1}/pulls`,
      ]),
    );
    expect(chat.writes.map((w) => w.call)).toEqual([`POST ${R}/issues/comments/5002/reactions`]);
    expect(await readAudit(app!, PROJECT)).toEqual([]); // a dry run changes nothing
  });

  it('refuses a rollback from a user with write access, saying what is needed, and touches nothing', async () => {
    await start();
    expect(await comment('/tollgate rollback production', 'dev', 5003)).toBe('refused');
    const refusal = lastReply();
    expect(refusal).toContain('`/tollgate rollback production` was refused');
    expect(refusal).toContain('needs maintain or admin access (GitLab: Maintainer); you have write access');
    expect(refusal).toContain('Nothing was changed.');
    expect(writesOf(github.state.calls)).toEqual([
      `POST ${R}/issues/comments/5003/reactions`,
      `POST ${R}/issues/${PR}/comments`,
    ]);
    // Reading .tollgate.yml at the default branch (tree, blob) is all it did besides the reply:
    // no deployment history, no git objects of a revert, no pull request, no compare.
    expect(
      github.state.calls.filter(
        (c) =>
          /deployments|git\/(refs|commits)|pulls$|compare/.test(c) ||
          (/git\//.test(c) && !c.startsWith('GET ')),
      ),
    ).toEqual([]);
    expect(await readAudit(app!, PROJECT)).toMatchObject([
      { actor: 'dev', action: 'rollback', environment: 'production', outcome: 'refused', number: PR },
    ]);
  });

  it('rolls back after the requester confirms: a deployment of the earlier SHA and a revert PR with its tree', async () => {
    await start();
    expect(await comment('/tollgate rollback production', 'alice', 5004)).toBe('done');
    const planReply = replies().at(-1)!;
    expect(planReply.body).toContain('@alice comments `/tollgate confirm`');
    expect(writesOf(github.state.calls)).toEqual([
      `POST ${R}/issues/comments/5004/reactions`,
      `POST ${R}/issues/${PR}/comments`,
    ]);

    // Bob may roll back too, but the plan is Alice's: nothing happens, and he is told so.
    expect(await comment('/tollgate confirm', 'bob', 5005)).toBe('refused');
    expect(lastReply()).toContain(
      'Only @alice, who asked for this rollback, can confirm it. Nothing was changed.',
    );
    expect(chat.writes.filter((w) => !w.call.endsWith('/reactions'))).toEqual([]);

    expect(await comment('/tollgate confirm', 'alice', 5006)).toBe('done');
    const writes = chat.writes.filter((w) => !w.call.endsWith('/reactions'));
    expect(writes.map((w) => w.call)).toEqual([
      `POST ${R}/deployments`,
      `POST ${R}/git/commits`,
      `POST ${R}/git/refs`,
      `POST ${R}/pulls`,
    ]);
    expect(writes[0]!.body).toMatchObject({
      ref: A,
      environment: 'production',
      auto_merge: false,
      required_contexts: [],
      payload: { rollback_of: C, requested_by: 'alice' },
    });
    // The revert commit carries the target commit's tree on top of today's main.
    expect(writes[1]!.body).toMatchObject({ tree: TREE_A, parents: [MAIN_HEAD] });
    const revertSha = chat.history.at(-1)!.sha;
    expect(writes[2]!.body).toEqual({
      ref: `refs/heads/tollgate/rollback-production-${A.slice(0, 8)}`,
      sha: revertSha,
    });
    expect(writes[3]!.body).toMatchObject({
      head: `tollgate/rollback-production-${A.slice(0, 8)}`,
      base: 'master',
      title: `Roll back production to ${A.slice(0, 12)}`,
    });
    expect(String(writes[3]!.body.body)).toContain('- #41 Coffee: 6 replicas');
    expect(chat.deployments[0]).toMatchObject({ sha: A, environment: 'production' });

    // The plan's comment became the progress report.
    const progress = github.state.comments.find((c) => c.id === planReply.id)!.body;
    expect(progress).toContain('✅ Rolled back `production`');
    expect(progress).toContain('confirmed by @alice');
    expect(progress).toContain(`https://github.com/${PROJECT}/pull/100`);

    const audit = await readAudit(app!, PROJECT);
    expect(audit).toMatchObject([
      { actor: 'alice', action: 'rollback', environment: 'production', outcome: 'planned' },
      { actor: 'alice', action: 'rollback', environment: 'production', outcome: 'done' },
    ]);
    expect(audit[1]!.commentUrl).toBe(`https://github.com/${PROJECT}/pull/${PR}#issuecomment-5006`);
    expect(audit[1]!.links).toContain(`https://github.com/${PROJECT}/pull/100`);
  });

  it("ignores an edited comment and the bot's own, and runs a redelivered one once", async () => {
    await start();
    const edited = commentEvent('edited', '/tollgate lock production', 'alice', 5007);
    expect((await sendGitHubWebhook(app!.url, 'issue_comment', edited)).status).toBe(200);
    // The App's own comments (sender of type Bot) never run commands either.
    const byBot = commentEvent('created', '/tollgate lock production', 'alice', 5012);
    const bot = { ...(byBot.sender as object), login: 'tollgate[bot]', type: 'Bot' };
    Object.assign(byBot, { sender: bot, comment: { ...(byBot.comment as object), user: bot } });
    expect((await sendGitHubWebhook(app!.url, 'issue_comment', byBot)).status).toBe(200);
    expect(await app!.runtime.commandQueue.getJobCounts()).toMatchObject({
      waiting: 0,
      active: 0,
      completed: 0,
    });

    const created = commentEvent('created', '/tollgate lock production', 'alice', 5008);
    for (const deliveryId of ['delivery-1', 'delivery-1', 'delivery-2']) {
      const response = await sendGitHubWebhook(app!.url, 'issue_comment', created, { deliveryId });
      expect(response.status).toBe(200);
    }
    expect(
      await commandOutcome(app!, { platform: 'github', project: PROJECT, comment: { id: 5008, body: '' } }),
    ).toBe('done');
    expect(await app!.runtime.commandQueue.getJobCounts()).toMatchObject({ completed: 1, waiting: 0 });
    expect(chat.reactions).toHaveLength(1);
    expect(replies()).toHaveLength(1);
    expect(await readAudit(app!, PROJECT)).toHaveLength(1);
  });

  it('a lock fails the check of a change to production; unlock and recheck pass it; each is audited', async () => {
    await start();
    expect(await comment('/tollgate lock production release freeze', 'alice', 5009)).toBe('done');
    expect(lastReply()).toContain('🔒 `production` is locked by @alice: release freeze.');

    expect(
      (await sendGitHubWebhook(app!.url, 'pull_request', pullRequestOpenedEvent(PR, PR_HEAD))).status,
    ).toBe(200);
    await waitFor('the failed check', () => github.state.checkRuns.some((r) => r.conclusion === 'failure'));
    const report = github.state.comments.find((c) => !c.body.startsWith(COMMAND_REPLY_MARKER))!.body;
    expect(report).toContain('production is locked by @alice');
    expect(report).toContain('release freeze');
    expect(github.state.checkRuns[0]!.output.summary).toContain('production is locked by @alice');

    expect(await comment('/tollgate unlock production\n/tollgate recheck', 'alice', 5010)).toBe('done,done');
    expect(replies().map((r) => r.body.split('\n')[1])).toEqual([
      '🔒 `production` is locked by @alice: release freeze. Merges that touch it fail the Tollgate check until `/tollgate unlock production`.',
      '🔓 `production` is unlocked (it was locked by @alice).',
      `🔁 Re-running the checks on \`${PR_HEAD.slice(0, 12)}\`.`,
    ]);
    await waitFor('the passing check', () => github.state.checkRuns.some((r) => r.conclusion === 'success'));
    expect(github.state.checkRuns).toHaveLength(1); // the same check run, now green

    const audit = await readAudit(app!, PROJECT);
    expect(
      audit.map((r) => [r.actor, r.action, r.environment, r.outcome, r.platform, r.project, r.number]),
    ).toEqual([
      ['alice', 'lock', 'production', 'done', 'github', PROJECT, PR],
      ['alice', 'unlock', 'production', 'done', 'github', PROJECT, PR],
      ['alice', 'recheck', undefined, 'done', 'github', PROJECT, PR],
    ]);
    expect(audit[0]!.detail).toBe('release freeze');
    expect(audit[0]!.commentUrl).toBe(`https://github.com/${PROJECT}/pull/${PR}#issuecomment-5009`);
  });

  it('a 👍 by the requester on the plan confirms it (the poll job), a 👍 by someone else does not', async () => {
    await start({ TOLLGATE_CONFIRM_POLL_MS: '150' });
    expect(await comment('/tollgate rollback production', 'alice', 5011)).toBe('done');
    const planId = replies().at(-1)!.id;
    const polls = () =>
      github.state.calls.filter((c) => c === `GET ${R}/issues/comments/${planId}/reactions`);
    await waitFor('two polls', () => polls().length >= 2);
    chat.reactions.push({ commentId: planId, content: '+1', login: 'bob' });
    chat.reactions.push({ commentId: planId, content: 'heart', login: 'alice' });
    const seen = polls().length;
    await waitFor('another poll', () => polls().length >= seen + 2);
    expect(chat.writes.filter((w) => !w.call.endsWith('/reactions'))).toEqual([]);

    chat.reactions.push({ commentId: planId, content: '+1', login: 'alice' });
    await waitFor('the revert pull request', () => chat.pullsOpened.length === 1);
    await waitFor('the progress report', () =>
      github.state.comments.find((c) => c.id === planId)!.body.includes('✅ Rolled back `production`'),
    );
    expect(chat.deployments[0]).toMatchObject({ sha: A, environment: 'production' });
    // The poll stops once the plan is done.
    const after = polls().length;
    await new Promise((r) => setTimeout(r, 400));
    expect(polls().length).toBe(after);
    expect((await readAudit(app!, PROJECT)).map((r) => r.outcome)).toEqual(['planned', 'done']);
  });

  it('a confirm in the same comment as the rollback does not act: the plan is read before it is confirmed', async () => {
    await start();
    expect(await comment('/tollgate rollback production\n/tollgate confirm', 'alice', 5013)).toBe(
      'done,refused',
    );
    expect(lastReply()).toContain('confirm it in a new comment');
    expect(chat.writes.filter((w) => !w.call.endsWith('/reactions'))).toEqual([]);
    // The plan still waits, and a confirm of its own goes ahead.
    expect(await comment('/tollgate confirm', 'alice', 5014)).toBe('done');
    expect(chat.pullsOpened).toHaveLength(1);
  });

  it('locks and plans without the Actions permission that listing environments needs (403)', async () => {
    await start({}, 'forbidden');
    expect(await comment('/tollgate lock production freeze', 'alice', 5015)).toBe('done');
    expect(lastReply()).toContain('🔒 `production` is locked by @alice: freeze.');
    expect(await comment('/tollgate rollback production --dry-run', 'alice', 5016)).toBe('done');
    expect(lastReply()).toContain('Rollback plan (dry run)');
  });
});
