import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../../../src/cli/cli-io.ts';
import { runDoctorCommand } from '../../../src/cli/commands/doctor-command.ts';

const GH = 'https://api.github.com';
const GL = 'https://gitlab.example.com';

function io(env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const cli: CliIO = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), cwd: '.', env };
  return { cli, out, err };
}

const notProtected = { message: 'Branch not protected', documentation_url: 'https://docs.github.com/rest' };

beforeAll(() => {
  nock.disableNetConnect();
});
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

describe('tollgate doctor (GitHub)', () => {
  const env = { GITHUB_TOKEN: 'ghp_test' };
  const args = ['--platform', 'github', '--repo', 'ops/coffee'];

  it('reports an unprotected repository item by item and exits 1, writing nothing', async () => {
    nock(GH)
      .get('/repos/ops/coffee/branches/main')
      .reply(200, { name: 'main', protected: false, commit: { sha: 'a'.repeat(40) } })
      .get('/repos/ops/coffee/branches/main/protection')
      .reply(404, notProtected)
      .get('/repos/ops/coffee/rules/branches/main')
      .query({ per_page: 100 })
      .reply(200, []);
    const { cli, out } = io(env);
    expect(await runDoctorCommand(args, cli)).toBe(1);
    const text = out.join('');
    expect(text).toMatch(/ok\s+Branch main exists/);
    expect(text).toMatch(/missing\s+Direct pushes are restricted/);
    expect(text).toMatch(/missing\s+The tollgate check is required/);
    expect(text).toMatch(/missing\s+Force pushes are disabled/);
    expect(text).not.toContain('ghp_test');
  });

  it('passes a protected repository (classic protection plus a ruleset)', async () => {
    nock(GH)
      .get('/repos/ops/coffee/branches/main')
      .reply(200, { name: 'main', protected: true })
      .get('/repos/ops/coffee/branches/main/protection')
      .reply(200, {
        required_status_checks: { strict: true, contexts: ['ci'], checks: [{ context: 'ci', app_id: null }] },
        required_pull_request_reviews: { required_approving_review_count: 1 },
        enforce_admins: { enabled: true },
        allow_force_pushes: { enabled: false },
      })
      .get('/repos/ops/coffee/rules/branches/main')
      .query({ per_page: 100 })
      .reply(200, [
        { type: 'required_status_checks', parameters: { required_status_checks: [{ context: 'tollgate' }] } },
        { type: 'non_fast_forward' },
      ]);
    const { cli, out } = io(env);
    expect(await runDoctorCommand(args, cli)).toBe(0);
    expect(out.join('')).toContain('all safeguards are in place');
  });

  it('--apply on an unprotected branch sends exactly one PUT of the protection', async () => {
    let body: Record<string, unknown> | undefined;
    nock(GH)
      .get('/repos/ops/coffee/branches/main')
      .reply(200, { name: 'main', protected: false })
      .get('/repos/ops/coffee/branches/main/protection')
      .reply(404, notProtected)
      .get('/repos/ops/coffee/rules/branches/main')
      .query({ per_page: 100 })
      .reply(200, [])
      .put('/repos/ops/coffee/branches/main/protection', (b) => {
        body = b;
        return true;
      })
      .reply(200, {});
    const { cli, out } = io(env);
    expect(await runDoctorCommand([...args, '--apply'], cli)).toBe(0);
    expect(body).toMatchObject({
      required_status_checks: { strict: false, contexts: ['tollgate'] },
      enforce_admins: true,
      required_pull_request_reviews: { required_approving_review_count: 0 },
      restrictions: null,
      allow_force_pushes: false,
    });
    expect(out.join('')).toContain('changed:');
  });

  it('--apply adds only the missing check when everything else is in place', async () => {
    nock(GH)
      .get('/repos/ops/coffee/branches/main')
      .reply(200, { name: 'main', protected: true })
      .get('/repos/ops/coffee/branches/main/protection')
      .reply(200, {
        required_status_checks: { strict: false, contexts: ['ci'], checks: [{ context: 'ci' }] },
        required_pull_request_reviews: { required_approving_review_count: 1 },
        enforce_admins: { enabled: true },
        allow_force_pushes: { enabled: false },
      })
      .get('/repos/ops/coffee/rules/branches/main')
      .query({ per_page: 100 })
      .reply(200, [])
      .post('/repos/ops/coffee/branches/main/protection/required_status_checks/contexts', {
        contexts: ['tollgate'],
      })
      .reply(200, ['ci', 'tollgate']);
    const { cli, out } = io(env);
    expect(await runDoctorCommand([...args, '--apply'], cli)).toBe(0);
    expect(out.join('')).toContain('added `tollgate` to the required status checks');
  });

  it('is a usage error without a token', async () => {
    const { cli } = io({});
    await expect(runDoctorCommand(args, cli)).rejects.toThrow('GITHUB_TOKEN');
  });
});

describe('tollgate doctor (GitLab)', () => {
  const env = { GITLAB_TOKEN: 'glpat-test' };
  const args = ['--platform', 'gitlab', '--repo', 'ops/coffee', '--api-url', GL];
  const project = '/api/v4/projects/ops%2Fcoffee';

  it('--apply protects the branch and turns on "Pipelines must succeed", nothing else', async () => {
    nock(GL)
      .get(project)
      .reply(200, { id: 42, path_with_namespace: 'ops/coffee', only_allow_merge_if_pipeline_succeeds: false })
      .get(`${project}/repository/branches/main`)
      .reply(200, { name: 'main', protected: false })
      .get(`${project}/protected_branches/main`)
      .reply(404, { message: '404 Not found' })
      .get(`${project}/external_status_checks`)
      .query(true)
      .reply(403, { message: '403 Forbidden' })
      .post(`${project}/protected_branches`, {
        name: 'main',
        push_access_level: 0,
        merge_access_level: 40,
        allow_force_push: false,
      })
      .reply(201, { id: 1, name: 'main' })
      .put(project, { only_allow_merge_if_pipeline_succeeds: true })
      .reply(200, { id: 42 });
    const { cli, out } = io(env);
    expect(await runDoctorCommand([...args, '--apply'], cli)).toBe(0);
    const text = out.join('');
    expect(text).toContain('Pipelines must succeed');
    expect(text).toContain('GitLab Ultimate');
  });

  it('passes a protected project with pipelines required', async () => {
    nock(GL)
      .get(project)
      .reply(200, { id: 42, only_allow_merge_if_pipeline_succeeds: true })
      .get(`${project}/repository/branches/main`)
      .reply(200, { name: 'main', protected: true })
      .get(`${project}/protected_branches/main`)
      .reply(200, {
        id: 1,
        name: 'main',
        push_access_levels: [{ id: 5, access_level: 0, access_level_description: 'No one' }],
        merge_access_levels: [{ id: 6, access_level: 40, access_level_description: 'Maintainers' }],
        allow_force_push: false,
      })
      .get(`${project}/external_status_checks`)
      .query(true)
      .reply(200, []);
    const { cli, out } = io(env);
    expect(await runDoctorCommand(args, cli)).toBe(0);
    expect(out.join('')).toContain('all safeguards are in place');
  });
});
