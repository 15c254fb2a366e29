import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ARCHIVE_SETTINGS } from '../../../src/adapters/archive/archive-settings.ts';
import { createArchiveCache } from '../../../src/adapters/archive/create-archive-cache.ts';
import type { ArchiveTrees } from '../../../src/adapters/archive/open-archive-tree.ts';
import { createGitLabPlatform } from '../../../src/adapters/gitlab/create-gitlab-platform.ts';
import { PermanentPlatformError } from '../../../src/usecases/ports/platform-errors.ts';
import { RepositoryArchiveError } from '../../../src/usecases/ports/repository-archive-error.ts';
import { buildTarGzip, repositoryTarball } from '../../support/fake-archive.ts';

const HOST = 'https://gitlab.example.com';
const SHA = 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7';
const ROOT = `project-${SHA}-${SHA}`;
const FILES = { 'deploy/coffee.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: coffee\n' };
const ARCHIVE_PATH = '/api/v4/projects/group%2Fproject/repository/archive.tar.gz';

function archives(): ArchiveTrees {
  return { cache: createArchiveCache(1 << 20), limits: DEFAULT_ARCHIVE_SETTINGS.limits, timeoutMs: 5000 };
}

function platform(trees = archives()) {
  return createGitLabPlatform({
    host: HOST,
    token: 'glpat-test',
    projectId: 'group/project',
    archives: trees,
  });
}

const text = (bytes: Uint8Array | undefined) => (bytes ? Buffer.from(bytes).toString('utf8') : undefined);

describe('GitLab trees from repository archives', () => {
  beforeAll(() => {
    nock.disableNetConnect();
  });
  afterEach(() => {
    nock.cleanAll();
  });

  it('downloads the archive of the SHA once, with the token, and serves the files', async () => {
    const scope = nock(HOST, { reqheaders: { 'private-token': 'glpat-test' } })
      .get(ARCHIVE_PATH)
      .query({ sha: SHA })
      .reply(200, await repositoryTarball(ROOT, FILES, { sha: SHA }), {
        'content-type': 'application/octet-stream',
        'content-disposition': `attachment; filename="project-${SHA}.tar.gz"`,
      });
    const gitlab = platform();
    const [base, again] = [gitlab.openTree(SHA), gitlab.openTree(SHA)];
    const [listed, read] = await Promise.all([base.listFiles(), again.readFile('deploy/coffee.yaml')]);
    expect(listed).toEqual(['deploy/coffee.yaml']);
    expect(text(read)).toBe(FILES['deploy/coffee.yaml']);
    expect(scope.isDone()).toBe(true);
  });

  it('falls back to the per-file API when the archive endpoint is rate limited', async () => {
    // GitLab.com allows 5 archive downloads a minute per user; the general API budget is apart.
    const blob = '3b18e512dba79e4c8300dd08aeb37f8e728b8dad';
    const scope = nock(HOST)
      .get(ARCHIVE_PATH)
      .query({ sha: SHA })
      .reply(
        429,
        { message: 'This endpoint has been requested too many times. Try again later.' },
        {
          'retry-after': '60',
        },
      )
      .get('/api/v4/projects/group%2Fproject/repository/tree')
      .query(true)
      .reply(200, [
        { id: blob, name: 'coffee.yaml', type: 'blob', path: 'deploy/coffee.yaml', mode: '100644' },
      ])
      .get(`/api/v4/projects/group%2Fproject/repository/blobs/${blob}/raw`)
      .reply(200, FILES['deploy/coffee.yaml'], { 'content-type': 'text/plain; charset=utf-8' });
    const tree = platform().openTree(SHA);
    expect(await tree.listFiles()).toEqual(['deploy/coffee.yaml']);
    expect(text(await tree.readFile('deploy/coffee.yaml'))).toBe(FILES['deploy/coffee.yaml']);
    expect(scope.isDone()).toBe(true);
  });

  it('maps 404 to a permanent error', async () => {
    nock(HOST).get(ARCHIVE_PATH).query(true).reply(404, { message: '404 Project Not Found' });
    const failure = platform().openTree(SHA).listFiles();
    await expect(failure).rejects.toThrow(PermanentPlatformError);
    await expect(failure).rejects.toThrow(/HTTP 404: 404 Project Not Found/);
  });

  it('refuses an archive with an absolute path entry', async () => {
    const evil = await buildTarGzip([
      { name: `${ROOT}/`, type: 'directory' },
      { name: '/etc/cron.d/owned', content: '* * * * * root true\n' },
    ]);
    nock(HOST).get(ARCHIVE_PATH).query(true).reply(200, evil);
    const error = await platform()
      .openTree(SHA)
      .listFiles()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RepositoryArchiveError);
    expect((error as Error).message).toContain('"/etc/cron.d/owned" with an absolute path');
  });
});
