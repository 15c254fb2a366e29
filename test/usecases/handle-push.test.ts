import { readFileSync } from 'node:fs';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGitHubBranchPlatform } from '../../src/adapters/github/create-github-branch-platform.ts';
import { createGitLabBranchPlatform } from '../../src/adapters/gitlab/create-gitlab-branch-platform.ts';
import { renderAllEnvironments } from '../../src/adapters/render/render-environment.ts';
import { parseGitLabPushEvent } from '../../src/server/inbound/parse-gitlab-push-event.ts';
import { handlePush } from '../../src/usecases/handle-push.ts';
import { githubExample, tokenOctokit } from '../support-github.ts';

const GH = 'https://api.github.com';
const GL = 'https://gitlab.example.com';
const BEFORE = '5e2a1c0b9f8d7e6a5b4c3d2e1f0a9b8c7d6e5f4a';

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

/** GitHub's push example (a push to the default branch), turned into a push to main. */
function githubPush(overrides: Record<string, unknown> = {}) {
  const p = githubExample('push', (e) => e.ref === 'refs/heads/master' && Boolean(e.installation));
  const repository = p.repository as Record<string, unknown>;
  return {
    payload: p,
    job: {
      branch: 'main',
      before: BEFORE,
      after: p.after as string,
      forced: false,
      created: false,
      deleted: false,
      pusher: (p.sender as { login: string }).login,
      ...overrides,
    },
    owner: (repository.owner as { login: string }).login,
    repo: repository.name as string,
  };
}

const brokenYaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: coffee\n  name: tea\n';

describe('handlePush on GitHub', () => {
  it('reports a direct push: failing check with the review findings and one issue', async () => {
    const { job, owner, repo } = githubPush();
    const base = `/repos/${owner}/${repo}`;
    const compare = {
      status: 'ahead',
      ahead_by: 1,
      behind_by: 0,
      commits: [
        {
          sha: job.after,
          commit: { message: 'Adding a .gitignore file\n\nbody', author: { name: 'Codertocat' } },
          author: { login: 'Codertocat' },
        },
      ],
      files: [{ filename: 'deploy/production/coffee.yaml', status: 'modified' }],
    };
    let check: Record<string, unknown> | undefined;
    let issue: Record<string, unknown> | undefined;
    nock(GH)
      .get(`${base}/commits/${job.after}/pulls`)
      .query(true)
      .reply(200, [])
      .get(`${base}/compare/${BEFORE}...${job.after}`)
      .query(true)
      .times(2)
      .reply(200, compare)
      .get(`${base}/git/trees/${job.after}`)
      .query({ recursive: 'true' })
      .reply(200, {
        sha: job.after,
        truncated: false,
        tree: [{ path: 'deploy/production/coffee.yaml', type: 'blob', sha: 'b1' }],
      })
      .get(`${base}/git/blobs/b1`)
      .reply(200, { sha: 'b1', encoding: 'base64', content: Buffer.from(brokenYaml).toString('base64') })
      // The review renders the base too (an empty tree here: everything is new).
      .get(`${base}/git/trees/${BEFORE}`)
      .query({ recursive: 'true' })
      .reply(200, { sha: BEFORE, truncated: false, tree: [] })
      .get(`${base}/commits/${job.after}/check-runs`)
      .query(true)
      .reply(200, { total_count: 0, check_runs: [] })
      .post(`${base}/check-runs`, (b) => {
        check = b;
        return true;
      })
      .reply(201, { id: 77 })
      .get(`${base}/issues`)
      .query({ labels: 'tollgate-bypass', state: 'all', per_page: 100 })
      .reply(200, [])
      .post(`${base}/issues`, (b) => {
        issue = b;
        return true;
      })
      .reply(201, { number: 9, html_url: `https://github.com/${owner}/${repo}/issues/9` });

    const platform = createGitHubBranchPlatform({ octokit: tokenOctokit(), owner, repo });
    const outcome = await handlePush(platform, job, {
      protectedBranch: 'main',
      render: renderAllEnvironments,
    });
    expect(outcome).toMatchObject({ kind: 'bypass', bypass: 'direct-push', issue: { outcome: 'created' } });
    expect(check).toMatchObject({
      name: 'tollgate',
      head_sha: job.after,
      status: 'completed',
      conclusion: 'failure',
    });
    expect((check!.output as { annotations: { path: string }[] }).annotations.map((a) => a.path)).toEqual([
      'deploy/production/coffee.yaml',
    ]);
    expect(issue!.labels).toEqual(['tollgate-bypass']);
    expect(issue!.body).toContain(`<!-- tollgate:bypass:main:${job.after} -->`);
    expect(issue!.body).toContain('Codertocat');
    expect(issue!.body).toContain('Adding a .gitignore file');
    expect(issue!.body).toContain('yaml/yaml-duplicate-key');
  });

  it('reports a force push whose old head is gone, and updates the existing issue', async () => {
    const { job, owner, repo } = githubPush({ forced: true });
    const base = `/repos/${owner}/${repo}`;
    nock(GH)
      .get(`${base}/compare/${BEFORE}...${job.after}`)
      .query(true)
      .reply(404, { message: 'Not Found' })
      .get(`${base}/commits/${job.after}/check-runs`)
      .query(true)
      .reply(200, { total_count: 1, check_runs: [{ id: 77, status: 'completed', conclusion: 'failure' }] })
      .patch(`${base}/check-runs/77`, (b) => b.conclusion === 'failure')
      .reply(200, { id: 77 })
      .get(`${base}/issues`)
      .query(true)
      .reply(200, [
        {
          number: 9,
          title: 'old',
          body: `<!-- tollgate:bypass:main:${job.after} -->\nold`,
          user: { login: 'tollgate[bot]', type: 'Bot' },
          html_url: 'https://github.com/x/9',
        },
      ])
      .patch(`${base}/issues/9`, (b) => String(b.title).startsWith('Force-pushed to main'))
      .reply(200, {});
    const platform = createGitHubBranchPlatform({ octokit: tokenOctokit(), owner, repo });
    const outcome = await handlePush(platform, job, {
      protectedBranch: 'main',
      render: renderAllEnvironments,
    });
    expect(outcome).toMatchObject({ kind: 'bypass', bypass: 'force-push', issue: { outcome: 'updated' } });
  });

  it('lets a merged pull request with a passing check through, and reports one merged while pending', async () => {
    const { job, owner, repo } = githubPush();
    const base = `/repos/${owner}/${repo}`;
    const pr = {
      number: 12,
      state: 'closed',
      merged_at: '2024-05-01T10:00:00Z',
      merge_commit_sha: job.after,
      html_url: `https://github.com/${owner}/${repo}/pull/12`,
      head: { sha: 'c0ffee0000000000000000000000000000000001', ref: 'feature/x' },
      base: { sha: BEFORE, ref: 'main' },
    };
    nock(GH)
      .get(`${base}/commits/${job.after}/pulls`)
      .query(true)
      .reply(200, [pr])
      .get(`${base}/commits/${pr.head.sha}/check-runs`)
      .query(true)
      .reply(200, { total_count: 1, check_runs: [{ id: 1, status: 'completed', conclusion: 'success' }] });
    const platform = createGitHubBranchPlatform({ octokit: tokenOctokit(), owner, repo });
    expect(
      await handlePush(platform, job, { protectedBranch: 'main', render: renderAllEnvironments }),
    ).toEqual({
      kind: 'gated',
      changeRequest: 12,
    });

    nock(GH)
      .get(`${base}/commits/${job.after}/pulls`)
      .query(true)
      .reply(200, [pr])
      .get(`${base}/commits/${pr.head.sha}/check-runs`)
      .query(true)
      .reply(200, { total_count: 1, check_runs: [{ id: 1, status: 'in_progress', conclusion: null }] })
      .get(`${base}/compare/${BEFORE}...${job.after}`)
      .query(true)
      .times(2)
      .reply(200, { status: 'ahead', behind_by: 0, commits: [], files: [] })
      .get(new RegExp(`^${base}/git/trees/(${BEFORE}|${job.after})$`))
      .query({ recursive: 'true' })
      .times(2)
      .reply(200, { truncated: false, tree: [] })
      .get(`${base}/commits/${job.after}/check-runs`)
      .query(true)
      .reply(200, { total_count: 0, check_runs: [] })
      .post(`${base}/check-runs`)
      .reply(201, { id: 78 })
      .get(`${base}/issues`)
      .query(true)
      .reply(200, [])
      .post(
        `${base}/issues`,
        (b) => String(b.body).includes('[#12]') && String(b.body).includes('**pending**'),
      )
      .reply(201, { number: 10, html_url: 'https://github.com/x/10' });
    expect(
      await handlePush(platform, job, { protectedBranch: 'main', render: renderAllEnvironments }),
    ).toMatchObject({
      kind: 'bypass',
      bypass: 'merged-while-failing',
    });
  });

  it('ignores pushes to other branches without calling the API', async () => {
    const { job, owner, repo } = githubPush({ branch: 'feature/x' });
    const platform = createGitHubBranchPlatform({ octokit: tokenOctokit(), owner, repo });
    expect(
      (await handlePush(platform, job, { protectedBranch: 'main', render: renderAllEnvironments })).kind,
    ).toBe('ignored');
  });
});

describe('GitLab Push Hook', () => {
  const fixture = (name: string) =>
    JSON.parse(readFileSync(`test/fixtures/gitlab/${name}`, 'utf8')) as unknown;
  const project = '/api/v4/projects/15';
  const platform = () =>
    createGitLabBranchPlatform({
      host: GL,
      token: 'glpat-test',
      projectId: 15,
      webUrl: `${GL}/mike/diaspora`,
    });

  it('turns documented push payloads into push jobs for the default branch only', () => {
    const decision = parseGitLabPushEvent('Push Hook', fixture('push-direct.json'));
    expect(decision).toEqual({
      action: 'push',
      job: {
        platform: 'gitlab',
        project: 'mike/diaspora',
        projectId: 15,
        branch: 'master',
        before: '95790bf891e76fee5e1747ab589903a6a1f80f22',
        after: 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7',
        created: false,
        deleted: false,
        pusher: 'jsmith',
        reason: 'push',
      },
    });
    const other = { ...(fixture('push-direct.json') as object), ref: 'refs/heads/feature/x' };
    expect(parseGitLabPushEvent('Push Hook', other).action).toBe('ignore');
    const tag = { ...(fixture('push-direct.json') as object), ref: 'refs/tags/v1' };
    expect(parseGitLabPushEvent('Push Hook', tag).action).toBe('ignore');
  });

  it('lets a merge request merge through when its tollgate status passed', async () => {
    const decision = parseGitLabPushEvent('Push Hook', fixture('push-merge.json'));
    if (decision.action !== 'push') throw new Error('expected a push');
    const { before, after } = decision.job;
    nock(GL)
      .get(`${project}/repository/merge_base`)
      .query({ 'refs[]': [before, after] })
      .reply(200, { id: before })
      .get(`${project}/repository/commits/${after}/merge_requests`)
      .query(true)
      .reply(200, [
        {
          iid: 7,
          state: 'merged',
          sha: 'feedbeef00000000000000000000000000000007',
          merge_commit_sha: after,
          squash_commit_sha: null,
          source_branch: 'feature/coffee-1.5',
          target_branch: 'master',
          web_url: `${GL}/mike/diaspora/-/merge_requests/7`,
        },
      ])
      .get(`${project}/repository/commits/feedbeef00000000000000000000000000000007/statuses`)
      .query((q) => q.name === 'tollgate')
      .reply(200, [{ id: 3, name: 'tollgate', status: 'success' }]);
    expect(
      await handlePush(platform(), decision.job, {
        protectedBranch: 'master',
        render: renderAllEnvironments,
      }),
    ).toEqual({
      kind: 'gated',
      changeRequest: 7,
    });
  });

  it('detects a force push (before is not an ancestor of after) and reports it', async () => {
    const decision = parseGitLabPushEvent('Push Hook', fixture('push-force.json'));
    if (decision.action !== 'push') throw new Error('expected a push');
    const { before, after } = decision.job;
    let status: Record<string, unknown> | undefined;
    let issue: Record<string, unknown> | undefined;
    nock(GL)
      .get(`${project}/repository/merge_base`)
      .query({ 'refs[]': [before, after] })
      .reply(200, { id: '1111111111111111111111111111111111111111' })
      .get(`${project}/repository/compare`)
      .query({ from: before, to: after })
      .times(2)
      .reply(200, {
        commits: [{ id: after, title: 'rewrite history', author_name: 'John Smith' }],
        diffs: [],
      })
      .get(`${project}/repository/tree`)
      .query(true)
      .times(2)
      .reply(200, [])
      .get(`${project}/repository/commits/${after}`)
      .reply(200, { id: after, last_pipeline: { id: 501 } })
      .post(`${project}/statuses/${after}`, (b) => {
        status = b;
        return true;
      })
      .reply(201, { id: 9 })
      .get('/api/v4/user')
      .reply(200, { id: 99, username: 'tollgate-bot' })
      .get(`${project}/issues`)
      .query(true)
      .reply(200, [])
      .post(`${project}/issues`, (b) => {
        issue = b;
        return true;
      })
      .reply(201, { iid: 3, web_url: `${GL}/mike/diaspora/-/issues/3` });
    const outcome = await handlePush(platform(), decision.job, {
      protectedBranch: 'master',
      render: renderAllEnvironments,
    });
    expect(outcome).toMatchObject({ kind: 'bypass', bypass: 'force-push', issue: { outcome: 'created' } });
    expect(status).toMatchObject({ state: 'failed', name: 'tollgate', pipeline_id: 501 });
    expect(issue!.labels).toBe('tollgate-bypass');
    expect(issue!.description).toContain('jsmith');
    expect(issue!.description).toContain('rewrite history');
  });
});
