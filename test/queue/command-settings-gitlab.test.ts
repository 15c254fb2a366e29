import { readFileSync } from 'node:fs';
import type { Job } from 'bullmq';
import nock from 'nock';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { renderAllEnvironments } from '../../src/adapters/render/render-environment.ts';
import type { CommandJobData, ConfirmPollJobData } from '../../src/queue/command-job.ts';
import { createCommandProcessor } from '../../src/queue/process-command-job.ts';
import { createChatOpsAdaptersForJob } from '../../src/server/platforms/create-chatops-adapters-for-job.ts';
import { createCommandPlatformForJob } from '../../src/server/platforms/create-command-platform-for-job.ts';
import { readEnvConfig } from '../../src/server/read-env-config.ts';
import { createChatOpsSettingsLoader } from '../../src/usecases/load-chatops-settings.ts';
import { gitlabNoteJson } from '../support/fake-gitlab-chatops.ts';
import { fakeGitLabRepository } from '../support/fake-gitlab-repository.ts';
import { createTestStores } from '../usecases/chatops-test-kit.ts';

const HOST = 'https://gitlab.example.com';
const P = '/api/v4/projects/5';
const MASTER = 'e'.repeat(40); // default branch head: where .tollgate.yml is read
const MASTER_LATER = 'f'.repeat(40); // a later default-branch head, with another .tollgate.yml
const MR_HEAD = '9'.repeat(40); // the merge request's head: never read for settings
const DEPLOYED = 'c'.repeat(40);
const PREVIOUS = 'a'.repeat(40);

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/chatops/${name}`, import.meta.url), 'utf8');
/** GitLab's documented Note Hook, as the webhook parser turns it into a command job. */
const note = JSON.parse(
  readFileSync(new URL('../fixtures/gitlab/note-merge-request-created.json', import.meta.url), 'utf8'),
);

const kit = createTestStores();
const config = readEnvConfig({
  GITLAB_URL: HOST,
  GITLAB_TOKEN: 'glpat-test',
  GITLAB_WEBHOOK_SECRET: 'secret',
});
const adapters = createChatOpsAdaptersForJob(config, undefined);
const polls: ConfirmPollJobData[] = [];
// The worker's wiring (start-command-worker), on the test's Redis prefix.
const processor = createCommandProcessor({
  platformFor: createCommandPlatformForJob(config, undefined),
  stores: kit.stores,
  requestRecheck: async () => undefined,
  schedulePoll: async (data) => {
    polls.push(data);
  },
  settingsFor: createChatOpsSettingsLoader<CommandJobData>({
    readerFor: adapters.readerFor,
    render: renderAllEnvironments,
  }),
  doctorFor: adapters.doctorFor,
  logger: pino({ level: 'silent' }),
});

let nextNote = 2000;
/** The notes that exist on the merge request, as GitLab's Notes API answers for them. */
const notesById = new Map<number, { body: string; author: { id: number; username: string } }>();
function job(body: string, user = { login: 'root', id: 1 }): Job<CommandJobData> {
  notesById.set(nextNote, { body, author: { id: user.id, username: user.login } });
  const data: CommandJobData = {
    platform: 'gitlab',
    project: note.project.path_with_namespace,
    projectId: note.project.id,
    thread: { number: note.merge_request.iid, kind: 'merge_request' },
    comment: { id: nextNote++, body, url: note.object_attributes.url },
    author: user,
    defaultBranch: note.project.default_branch,
    deliveryId: `test-${nextNote}`,
  };
  return { id: `job-${nextNote}`, name: 'command', data } as Job<CommandJobData>;
}

/** The note read back by id, and the project (its path and default branch), as GitLab answers them. */
function answerSource() {
  return nock(HOST)
    .get(/\/merge_requests\/1\/notes\/\d+$/)
    .reply((uri) => {
      const id = Number(uri.split('/').pop());
      const found = notesById.get(id);
      return found
        ? [200, gitlabNoteJson({ id, ...found, projectId: 5, iid: 1 })]
        : [404, { message: '404 Not found' }];
    })
    .get(P)
    .reply(200, { id: 5, path_with_namespace: 'gitlab-org/gitlab-test', default_branch: 'master' });
}

/** Who the bot is, the 👀, the member's access level, and every reply note. */
function answerCommon(accessLevel: number) {
  const replies: string[] = [];
  const scope = answerSource()
    .get('/api/v4/user')
    .reply(200, { id: 99, username: 'tollgate-bot' })
    .post(/\/merge_requests\/1\/notes\/\d+\/award_emoji$/)
    .reply(201, { id: 1, name: 'eyes' })
    .get(`${P}/members/all/1`)
    .reply(200, { id: 1, username: 'root', access_level: accessLevel, state: 'active' })
    .post(`${P}/merge_requests/1/notes`)
    .reply(201, (_uri, body) => {
      replies.push((body as { body: string }).body);
      return { id: 7000 + replies.length, body: (body as { body: string }).body };
    });
  return { scope, replies };
}

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});
afterAll(async () => {
  nock.enableNetConnect();
  await kit.cleanup();
});

describe('chat-ops settings from .tollgate.yml on the default branch (GitLab)', () => {
  it('refuses a Maintainer rollback when the default branch raises rollback to admin', async () => {
    const repo = fakeGitLabRepository({
      host: HOST,
      projectId: 5,
      branches: { master: MASTER },
      commits: {
        [MASTER]: { '.tollgate.yml': fixture('tollgate-rollback-admin.yml') },
        // A merge request that lowers the bar is never consulted.
        [MR_HEAD]: { '.tollgate.yml': 'chatops:\n  permissions:\n    rollback: read\n' },
      },
    });
    const { replies } = answerCommon(40);
    expect(await processor(job('/tollgate rollback production'))).toBe('refused');
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain('`/tollgate rollback` needs admin access (GitLab: Owner)');
    expect(replies[0]).toContain('you have maintain access');
    expect(repo.calls).toEqual(['GET branch master', `GET tree ${MASTER}`]);
    const audit = await kit.stores.audit.read({ project: 'gitlab-org/gitlab-test' });
    expect(audit[0]).toMatchObject({ action: 'rollback', outcome: 'refused' });
    repo.done();
  });

  it('shows the manifest diff between the deployed and the target commit in the plan', async () => {
    const repo = fakeGitLabRepository({
      host: HOST,
      projectId: 5,
      branches: { master: MASTER_LATER },
      commits: {
        [MASTER_LATER]: { '.tollgate.yml': fixture('tollgate-default.yml') },
        [DEPLOYED]: {
          '.tollgate.yml': fixture('tollgate-default.yml'),
          'deploy/production/coffee.yaml': fixture('coffee-deployed.yaml'),
        },
        [PREVIOUS]: {
          '.tollgate.yml': fixture('tollgate-default.yml'),
          'deploy/production/coffee.yaml': fixture('coffee-previous.yaml'),
        },
      },
    });
    const { scope, replies } = answerCommon(40);
    const deployment = (id: number, sha: string, jobId: number) => ({
      id,
      iid: id - 40,
      ref: 'master',
      sha,
      status: 'success',
      created_at: '2024-05-01T10:00:00.000Z',
      finished_at: '2024-05-01T10:05:00.000Z',
      deployable: { id: jobId, status: 'success', name: 'deploy-production' },
      environment: { id: 9, name: 'production' },
    });
    scope
      .get(`${P}/deployments`)
      .query(true)
      .reply(200, [deployment(52, DEPLOYED, 802), deployment(51, PREVIOUS, 801)])
      .get(`${P}/repository/compare`)
      .query({ from: PREVIOUS, to: DEPLOYED })
      .reply(200, {
        commit: { id: DEPLOYED },
        commits: [{ id: DEPLOYED, title: 'Coffee 1.5.0', parent_ids: [PREVIOUS] }],
        diffs: [],
        compare_timeout: false,
        compare_same_ref: false,
      })
      .get(`${P}/repository/commits/${DEPLOYED}/merge_requests`)
      .reply(200, []);
    expect(await processor(job('/tollgate rollback production'))).toBe('done');
    const plan = replies[0]!;
    expect(plan).toContain('**Manifest diff**');
    expect(plan).toContain('Deployment/cafe/coffee');
    expect(plan).toMatch(/spec\.replicas`: `4` → `3`/);
    expect(plan).toContain('registry.example.com/coffee:1.4.2');
    expect(plan.length).toBeLessThan(30_000);
    const stored = await kit.stores.plans.readPlan(
      { platform: 'gitlab', project: 'gitlab-org/gitlab-test' },
      1,
    );
    expect(stored?.strategies).toEqual(['redeploy', 'revert']);
    expect(polls).toHaveLength(1);
    // Settings read once at the default branch; both rollback ends rendered.
    expect(repo.calls.sort()).toEqual(
      [
        'GET branch master',
        `GET tree ${DEPLOYED}`,
        `GET tree ${MASTER_LATER}`,
        `GET tree ${PREVIOUS}`,
      ].sort(),
    );
    await processor(job('/tollgate cancel')).catch(() => undefined);
    repo.done();
  });

  it('/tollgate doctor: a Maintainer gets the branch report; nothing is written but the reply', async () => {
    const repo = fakeGitLabRepository({
      host: HOST,
      projectId: 5,
      branches: { master: '1'.repeat(40) },
      commits: { ['1'.repeat(40)]: {} },
    });
    const { scope, replies } = answerCommon(40);
    const calls: string[] = [];
    scope.on('request', (req: { method: string; path: string }) =>
      calls.push(`${req.method} ${req.path.split('?')[0]}`),
    );
    scope
      .get(P)
      .reply(200, {
        id: 5,
        path_with_namespace: 'gitlab-org/gitlab-test',
        only_allow_merge_if_pipeline_succeeds: false,
      })
      .get(`${P}/protected_branches/master`)
      .reply(200, {
        id: 1,
        name: 'master',
        push_access_levels: [{ id: 5, access_level: 40, access_level_description: 'Maintainers' }],
        merge_access_levels: [{ id: 6, access_level: 40, access_level_description: 'Maintainers' }],
        allow_force_push: false,
      })
      .get(`${P}/external_status_checks`)
      .query(true)
      .reply(403, { message: '403 Forbidden' });
    expect(await processor(job('/tollgate doctor'))).toBe('done');
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain('## Tollgate doctor: `5` branch `master`');
    expect(replies[0]).toMatch(/❌ \| Direct pushes are restricted/);
    expect(replies[0]).toContain('Some safeguards are missing.');
    expect(replies[0]).toContain('--apply');
    // The branch read answers both the settings (its head) and the doctor (it exists).
    expect(repo.calls).toEqual(['GET branch master', `GET tree ${'1'.repeat(40)}`, 'GET branch master']);
    // Read-only: the only write is the reply (and the 👀).
    expect(calls.filter((c) => !c.startsWith('GET '))).toEqual([
      `POST ${P}/merge_requests/1/notes/${nextNote - 1}/award_emoji`,
      `POST ${P}/merge_requests/1/notes`,
    ]);
    repo.done();
  });

  it('/tollgate doctor is refused to a Developer, and reads no protection settings', async () => {
    const repo = fakeGitLabRepository({
      host: HOST,
      projectId: 5,
      branches: { master: '2'.repeat(40) },
      commits: { ['2'.repeat(40)]: {} },
    });
    const { replies } = answerCommon(30);
    expect(await processor(job('/tollgate doctor'))).toBe('refused');
    expect(replies[0]).toContain('`/tollgate doctor` needs maintain or admin access');
    repo.done();
  });

  it('runs no command when the settings cannot be read (never the looser defaults), and says so', async () => {
    const repo = fakeGitLabRepository({ host: HOST, projectId: 5, branches: {}, commits: {} });
    const replies: string[] = [];
    answerSource()
      .post(`${P}/merge_requests/1/notes`)
      .reply(201, (_uri, body) => {
        replies.push((body as { body: string }).body);
        return { id: 7100 };
      });
    expect(await processor(job('/tollgate rollback production'))).toBe('settings-unavailable');
    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain('could not read `.tollgate.yml` from `master`');
    expect(replies[0]).toContain('404');
    expect(repo.calls).toEqual(['GET branch master']);
    repo.done();
  });
});
