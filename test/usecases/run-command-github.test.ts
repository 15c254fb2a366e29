import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGitHubBranchDoctor } from '../../src/adapters/github/create-github-branch-doctor.ts';
import { createGitHubCommandPlatform } from '../../src/adapters/github/create-github-command-platform.ts';
import type { CommandDeps, CommandRequest } from '../../src/usecases/command-deps.ts';
import { runCommands } from '../../src/usecases/run-command.ts';
import { createTestOctokit, createTestStores, recordCalls, writes } from './chatops-test-kit.ts';

const API = 'https://api.github.com';
const REPO = '/repos/acme/shop';
const A = 'a'.repeat(40); // ran before
const B = 'b'.repeat(40); // failed deployment
const C = 'c'.repeat(40); // runs now: merge of #41
const M1 = '1'.repeat(40); // merge of #40
const F1 = 'f'.repeat(39) + '1';
const F2 = 'f'.repeat(39) + '2';
const MAIN_HEAD = 'd'.repeat(40);
const TREE_A = 'e'.repeat(40);

const kit = createTestStores();
let recheck: { number: number; headSha: string }[] = [];

function deps(): CommandDeps {
  return {
    platform: createGitHubCommandPlatform({ octokit: createTestOctokit(), owner: 'acme', repo: 'shop' }),
    stores: kit.stores,
    requestRecheck: async (number, headSha) => {
      recheck.push({ number, headSha });
    },
    settings: {
      environments: ['staging', 'production'],
      renderDiff: async (from, to) => `diff ${from.slice(0, 4)}→${to.slice(0, 4)}`,
    },
  };
}

function request(body: string, login = 'alice', number = 42, commentId = 5000): CommandRequest {
  return {
    thread: { number, kind: 'merge_request' },
    comment: {
      id: commentId,
      body,
      url: `https://github.com/acme/shop/pull/${number}#issuecomment-${commentId}`,
    },
    author: { login, id: login.length },
    defaultBranch: 'main',
  };
}

const deployment = (id: number, sha: string) => ({
  id,
  sha,
  ref: 'main',
  task: 'deploy',
  environment: 'production',
  url: `${API}${REPO}/deployments/${id}`,
  created_at: '2024-05-01T10:00:00Z',
  updated_at: '2024-05-01T10:00:00Z',
});
const status = (state: string) => [
  {
    id: 1,
    state,
    created_at: '2024-05-01T10:05:00Z',
    log_url: 'https://ci.example.com/run/1',
    environment: 'production',
  },
];
const commit = (sha: string, message: string, parents: string[]) => ({
  sha,
  commit: { message },
  parents: parents.map((p) => ({ sha: p })),
});

function answerPermission(scope: nock.Scope, login: string, role: string, permission: string) {
  scope
    .get(`${REPO}/collaborators/${login}/permission`)
    .reply(200, { permission, role_name: role, user: { login } });
}

function answerPlanReads(scope: nock.Scope, times = 1) {
  scope
    .get(`${REPO}/deployments`)
    .query({ environment: 'production', per_page: '30' })
    .times(times)
    .reply(200, [deployment(303, C), deployment(302, B), deployment(301, A)]);
  scope.get(`${REPO}/deployments/303/statuses`).query(true).times(times).reply(200, status('success'));
  scope.get(`${REPO}/deployments/302/statuses`).query(true).times(times).reply(200, status('failure'));
  scope.get(`${REPO}/deployments/301/statuses`).query(true).times(times).reply(200, status('success'));
  scope
    .get(`${REPO}/compare/${A}...${C}`)
    .query(true)
    .times(times)
    .reply(200, {
      status: 'ahead',
      commits: [
        commit(F1, 'feature one', [A]),
        commit(M1, 'Merge pull request #40 from acme/tea-v2', [A, F1]),
        commit(F2, 'feature two', [M1]),
        commit(C, 'Merge pull request #41 from acme/coffee-replicas', [M1, F2]),
      ],
    });
  scope
    .get(`${REPO}/commits/${C}/pulls`)
    .times(times)
    .reply(200, [
      {
        number: 41,
        title: 'Coffee: 6 replicas',
        html_url: 'https://github.com/acme/shop/pull/41',
        merged_at: '2024-05-01T09:00:00Z',
      },
    ]);
  scope
    .get(`${REPO}/commits/${M1}/pulls`)
    .times(times)
    .reply(200, [
      {
        number: 40,
        title: 'Tea v2 route',
        html_url: 'https://github.com/acme/shop/pull/40',
        merged_at: '2024-05-01T08:00:00Z',
      },
    ]);
}

let replies: { number: number; body: string }[] = [];
let nextReplyId = 9000;
function answerReplies(scope: nock.Scope) {
  scope
    .post(/\/repos\/acme\/shop\/issues\/\d+\/comments$/)
    .times(20)
    .optionally()
    .reply(201, (uri, body) => {
      const number = Number(/issues\/(\d+)\//.exec(uri)![1]);
      replies.push({ number, body: (body as { body: string }).body });
      const id = ++nextReplyId;
      return { id, html_url: `https://github.com/acme/shop/pull/${number}#issuecomment-${id}` };
    });
  scope
    .post(/\/repos\/acme\/shop\/issues\/comments\/\d+\/reactions$/)
    .times(20)
    .optionally()
    .reply(201, { id: 1, content: 'eyes' });
}

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
beforeEach(() => {
  replies = [];
  recheck = [];
});
afterEach(() => {
  nock.cleanAll();
});
afterAll(async () => {
  nock.enableNetConnect();
  await kit.cleanup();
});

describe('chat-ops on GitHub', () => {
  it('refuses a rollback by a user without maintain access and calls no write endpoint', async () => {
    const scope = nock(API);
    const calls = recordCalls(scope);
    answerReplies(scope);
    answerPermission(scope, 'mallory', 'write', 'write');
    const results = await runCommands(deps(), request('/tollgate rollback production', 'mallory', 42, 6001));
    expect(results).toMatchObject([{ outcome: 'refused' }]);
    expect(writes(calls)).toEqual([
      'POST /repos/acme/shop/issues/comments/6001/reactions',
      'POST /repos/acme/shop/issues/42/comments',
    ]);
    expect(calls).not.toContain('GET /repos/acme/shop/deployments');
    expect(replies[0]!.body).toContain('needs maintain or admin access');
    expect(replies[0]!.body).toContain('Nothing was changed');
    const [audit] = await kit.stores.audit.read({ project: 'acme/shop' });
    expect(audit).toMatchObject({
      actor: 'mallory',
      action: 'rollback',
      outcome: 'refused',
      environment: 'production',
    });
    expect(scope.isDone()).toBe(true);
  });

  it('a dry run shows the plan (MRs, diff) and calls no write endpoint', async () => {
    const scope = nock(API);
    const calls = recordCalls(scope);
    answerReplies(scope);
    answerPermission(scope, 'alice', 'maintain', 'write');
    answerPlanReads(scope);
    const results = await runCommands(deps(), request('/rollback production --dry-run', 'alice', 42, 6002));
    expect(results).toMatchObject([{ outcome: 'done', detail: 'dry-run' }]);
    expect(writes(calls)).toEqual([
      'POST /repos/acme/shop/issues/comments/6002/reactions',
      'POST /repos/acme/shop/issues/42/comments',
    ]);
    const plan = replies[0]!.body;
    expect(plan).toContain('Rollback plan (dry run)');
    expect(plan).toContain(`\`${C.slice(0, 12)}\``);
    expect(plan).toContain(`\`${A.slice(0, 12)}\``);
    expect(plan).toContain('**Pull requests undone (2)**');
    expect(plan).toContain('open a revert pull request');
    expect(plan).toContain('#41 Coffee: 6 replicas');
    expect(plan).toContain('#40 Tea v2 route');
    expect(plan).toContain('diff cccc→aaaa');
    expect(await kit.stores.plans.readPlan({ platform: 'github', project: 'acme/shop' }, 42)).toBeUndefined();
    expect(scope.isDone()).toBe(true);
  });

  it('plans, ignores a confirmation by someone else, then redeploys and opens a revert PR with the target tree', async () => {
    const scope = nock(API);
    answerReplies(scope);
    answerPermission(scope, 'alice', 'maintain', 'write');
    answerPlanReads(scope);
    await runCommands(deps(), request('/tollgate rollback production', 'alice', 42, 6003));
    expect(replies.at(-1)!.body).toContain('/tollgate confirm');
    expect(scope.isDone()).toBe(true);

    // Bob may roll back too, but this plan is Alice's.
    answerPermission(scope, 'bob', 'admin', 'admin');
    const other = await runCommands(deps(), request('/tollgate confirm', 'bob', 42, 6004));
    expect(other).toMatchObject([{ outcome: 'refused', detail: 'not-requester' }]);
    expect(replies.at(-1)!.body).toContain('Only @alice');

    const progress: string[] = [];
    let commitBody: Record<string, unknown> | undefined;
    let deploymentBody: Record<string, unknown> | undefined;
    answerPermission(scope, 'alice', 'maintain', 'write');
    scope
      .patch(/\/repos\/acme\/shop\/issues\/comments\/\d+$/)
      .times(3)
      .reply(200, (_uri, body) => {
        progress.push((body as { body: string }).body);
        return { id: 1 };
      });
    scope.post(`${REPO}/deployments`).reply(201, (_uri, body) => {
      deploymentBody = body as Record<string, unknown>;
      return { ...deployment(304, A), id: 304 };
    });
    scope
      .get(`${REPO}/git/ref/heads%2Fmain`)
      .reply(200, { ref: 'refs/heads/main', object: { sha: MAIN_HEAD, type: 'commit' } });
    scope.get(`${REPO}/git/commits/${A}`).reply(200, { sha: A, tree: { sha: TREE_A }, parents: [] });
    scope.post(`${REPO}/git/commits`).reply(201, (_uri, body) => {
      commitBody = body as Record<string, unknown>;
      return { sha: '9'.repeat(40), tree: { sha: TREE_A }, parents: [{ sha: MAIN_HEAD }] };
    });
    scope
      .post(`${REPO}/git/refs`, {
        ref: 'refs/heads/tollgate/rollback-production-aaaaaaaa',
        sha: '9'.repeat(40),
      })
      .reply(201, {
        ref: 'refs/heads/tollgate/rollback-production-aaaaaaaa',
        object: { sha: '9'.repeat(40) },
      });
    scope
      .post(`${REPO}/pulls`, (b) => b.head === 'tollgate/rollback-production-aaaaaaaa' && b.base === 'main')
      .reply(201, { number: 50, html_url: 'https://github.com/acme/shop/pull/50' });

    const confirmed = await runCommands(deps(), request('/tollgate confirm', 'alice', 42, 6005));
    expect(confirmed).toMatchObject([{ outcome: 'done', detail: 'redeploy:done,revert:done' }]);
    expect(commitBody).toMatchObject({ tree: TREE_A, parents: [MAIN_HEAD] });
    expect(deploymentBody).toMatchObject({
      ref: A,
      environment: 'production',
      auto_merge: false,
      required_contexts: [],
      payload: { rollback_of: C, requested_by: 'alice' },
    });
    expect(progress.at(-1)).toContain('Rolled back `production`');
    expect(progress.at(-1)).toContain('https://github.com/acme/shop/pull/50');
    expect(progress.at(-1)).toContain('revert pull request #50 opened');
    expect(scope.isDone()).toBe(true);

    const [last] = await kit.stores.audit.read({ environment: 'production' });
    expect(last).toMatchObject({ actor: 'alice', action: 'rollback', outcome: 'done' });
    expect(last!.links).toContain('https://github.com/acme/shop/pull/50');

    // Confirming again does nothing: the plan was taken.
    answerPermission(scope, 'alice', 'maintain', 'write');
    expect(await runCommands(deps(), request('/tollgate confirm', 'alice', 42, 6006))).toMatchObject([
      { outcome: 'refused', detail: 'no-plan' },
    ]);
  });

  it('lets only one of two concurrent rollbacks of an environment proceed', async () => {
    const scope = nock(API);
    answerReplies(scope);
    answerPermission(scope, 'alice', 'maintain', 'write');
    answerPermission(scope, 'carol', 'admin', 'admin');
    answerPlanReads(scope, 2);
    const [first, second] = await Promise.all([
      runCommands(deps(), request('/tollgate rollback production', 'alice', 60, 6010)),
      runCommands(deps(), request('/tollgate rollback production', 'carol', 61, 6011)),
    ]);
    const outcomes = [first![0]!.outcome, second![0]!.outcome].sort();
    expect(outcomes).toEqual(['done', 'refused']);
    const refusal = replies.find((r) => r.body.includes('is in progress'));
    expect(refusal?.body).toContain('rollback by @');

    // A lock of the same environment waits for the rollback too.
    answerPermission(scope, 'alice', 'maintain', 'write');
    const lock = await runCommands(deps(), request('/tollgate lock production freeze', 'alice', 62, 6012));
    expect(lock).toMatchObject([{ outcome: 'refused' }]);
    expect(await kit.stores.locks.readLocks({ platform: 'github', project: 'acme/shop' })).toEqual([]);
  });

  it('locks and unlocks an environment, records overrides and rechecks, and replies to unknown commands', async () => {
    const scope = nock(API);
    answerReplies(scope);
    answerPermission(scope, 'dave', 'maintain', 'write');
    scope
      .get(`${REPO}/pulls/70`)
      .times(2)
      .reply(200, {
        number: 70,
        head: { sha: F2, ref: 'feature' },
        base: { sha: A, ref: 'main' },
        state: 'open',
        merged_at: null,
        html_url: 'https://github.com/acme/shop/pull/70',
      });
    const body = [
      '/tollgate lock staging load test',
      '/tollgate override routes hotfix approved by SRE',
      '/tollgate recheck',
      '/tollgate frobnicate',
    ].join('\n');
    const results = await runCommands(deps(), request(body, 'dave', 70, 6020));
    expect(results.map((r) => r.outcome)).toEqual(['done', 'done', 'done', 'usage-error']);
    expect(await kit.stores.locks.readLocks({ platform: 'github', project: 'acme/shop' })).toMatchObject([
      { environment: 'staging', lockedBy: 'dave', reason: 'load test' },
    ]);
    expect(await kit.stores.overrides.readOverrides('github', 'acme/shop', 70, F2)).toMatchObject([
      { check: 'routes', by: 'dave', reason: 'hotfix approved by SRE' },
    ]);
    expect(recheck).toEqual([
      { number: 70, headSha: F2 },
      { number: 70, headSha: F2 },
    ]);
    expect(replies.at(-1)!.body).toContain("unknown command 'frobnicate'");
    expect(replies.at(-1)!.body).toContain('/tollgate rollback ENV');

    answerPermission(scope, 'dave', 'maintain', 'write');
    await runCommands(deps(), request('/tollgate unlock staging', 'dave', 70, 6021));
    expect(await kit.stores.locks.readLocks({ platform: 'github', project: 'acme/shop' })).toEqual([]);
    expect(scope.isDone()).toBe(true);
  });

  it('help lists what this user may run, the environments, and where the audit is', async () => {
    const scope = nock(API);
    answerReplies(scope);
    scope.get(`${REPO}/collaborators/erin/permission`).reply(404, { message: 'Not Found' });
    await runCommands(deps(), request('/tollgate help', 'erin', 42, 6030));
    const help = replies[0]!.body;
    expect(help).toContain('`/tollgate help`');
    expect(help).not.toContain('| `/tollgate rollback');
    expect(help).toContain('`production`');
    expect(help).toContain('tollgate audit --project acme/shop');
  });

  it('/tollgate doctor replies with the protection report of the configured branch, read-only', async () => {
    const scope = nock(API);
    answerReplies(scope);
    answerPermission(scope, 'dave', 'maintain', 'write');
    const calls = recordCalls(scope);
    scope
      .get(`${REPO}/branches/release`)
      .reply(200, { name: 'release', protected: true, commit: { sha: MAIN_HEAD } })
      .get(`${REPO}/branches/release/protection`)
      .reply(200, {
        required_status_checks: { strict: true, contexts: ['ci'], checks: [{ context: 'ci', app_id: null }] },
        required_pull_request_reviews: { required_approving_review_count: 1 },
        enforce_admins: { enabled: true },
        allow_force_pushes: { enabled: false },
      })
      .get(`${REPO}/rules/branches/release`)
      .query({ per_page: 100 })
      .reply(200, []);
    const withDoctor: CommandDeps = {
      ...deps(),
      settings: { ...deps().settings, protectedBranch: 'release' },
      doctor: async () =>
        createGitHubBranchDoctor({ octokit: createTestOctokit(), owner: 'acme', repo: 'shop' }),
    };
    const [result] = await runCommands(withDoctor, request('/tollgate doctor', 'dave', 42, 6040));
    expect(result).toMatchObject({ outcome: 'done', detail: 'missing' });
    const body = replies[0]!.body;
    expect(body).toContain('## Tollgate doctor: `acme/shop` branch `release`');
    expect(body).toMatch(/❌ \| The tollgate check is required/);
    expect(body).toContain('tollgate doctor --platform github --repo acme/shop --branch release --apply');
    expect(writes(calls)).toEqual([
      `POST ${REPO}/issues/comments/6040/reactions`,
      `POST ${REPO}/issues/42/comments`,
    ]);
    expect(scope.isDone()).toBe(true);
  });
});
