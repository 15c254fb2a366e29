import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { ProbotOctokit } from 'probot';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_ARCHIVE_SETTINGS } from '../../../src/adapters/archive/archive-settings.ts';
import { createArchiveCache } from '../../../src/adapters/archive/create-archive-cache.ts';
import type { ArchiveTrees } from '../../../src/adapters/archive/open-archive-tree.ts';
import { createGitHubPlatform } from '../../../src/adapters/github/create-github-platform.ts';
import type { GitHubClient } from '../../../src/adapters/github/github-request.ts';
import {
  PermanentPlatformError,
  TransientPlatformError,
} from '../../../src/usecases/ports/platform-errors.ts';
import { RepositoryArchiveError } from '../../../src/usecases/ports/repository-archive-error.ts';
import { buildTarGzip, repositoryTarball } from '../../support/fake-archive.ts';
import { tokenOctokit } from '../../support-github.ts';

const API = 'https://api.github.com';
const CODELOAD = 'https://codeload.github.com';
const SHA = 'ec26c3e57ca3a959ca5aad62de7213c562f8c821';
const ROOT = `Codertocat-Hello-World-${SHA.slice(0, 7)}`;
const FILES = {
  '.tollgate.yml': 'environments: []\n',
  'k8s/coffee.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: coffee\n',
};

function archives(limits: Partial<ArchiveTrees['limits']> = {}): ArchiveTrees {
  return {
    cache: createArchiveCache(1 << 20),
    limits: { ...DEFAULT_ARCHIVE_SETTINGS.limits, ...limits },
    timeoutMs: 5000,
  };
}

function platform(trees = archives()) {
  return createGitHubPlatform({
    octokit: tokenOctokit(),
    owner: 'Codertocat',
    repo: 'Hello-World',
    archives: trees,
  });
}

/** GitHub's answer to the tarball endpoint: a 302 to a codeload URL carrying its own token. */
function redirectToCodeload(sha = SHA) {
  return nock(API)
    .get(`/repos/Codertocat/Hello-World/tarball/${sha}`)
    .reply(302, '', {
      location: `${CODELOAD}/Codertocat/Hello-World/legacy.tar.gz/${sha}?token=AABBCCDD`,
      'x-ratelimit-remaining': '4999',
    });
}

const text = (bytes: Uint8Array | undefined) => (bytes ? Buffer.from(bytes).toString('utf8') : undefined);

describe('GitHub trees from tarballs', () => {
  beforeAll(() => {
    nock.disableNetConnect();
  });
  afterEach(() => {
    nock.cleanAll();
  });

  it('follows the 302 to codeload (without the API token) and serves the files from the tarball', async () => {
    const api = redirectToCodeload();
    const tarball = await repositoryTarball(ROOT, FILES, { sha: SHA });
    const codeload = nock(CODELOAD, { badheaders: ['authorization'] })
      .get(`/Codertocat/Hello-World/legacy.tar.gz/${SHA}`)
      .query({ token: 'AABBCCDD' })
      .reply(200, tarball, {
        'content-type': 'application/x-gzip',
        'content-disposition': `attachment; filename=${ROOT}.tar.gz`,
      });

    const github = platform();
    const tree = github.openTree(SHA);
    expect((await tree.listFiles()).sort()).toEqual(['.tollgate.yml', 'k8s/coffee.yaml']);
    expect(text(await tree.readFile('k8s/coffee.yaml'))).toBe(FILES['k8s/coffee.yaml']);
    expect(await tree.readFile('missing.yaml')).toBeUndefined();
    // A second tree of the same commit (another merge request's base) is served from the cache.
    expect(text(await github.openTree(SHA).readFile('.tollgate.yml'))).toBe(FILES['.tollgate.yml']);
    expect(api.isDone() && codeload.isDone()).toBe(true);
  });

  it('downloads nothing until the tree is read', async () => {
    const api = redirectToCodeload();
    platform().openTree(SHA);
    await new Promise((r) => setTimeout(r, 20));
    expect(api.isDone()).toBe(false);
  });

  it('maps 404 to a permanent error and 502 to a transient one, which the next try gets past', async () => {
    nock(API)
      .get(`/repos/Codertocat/Hello-World/tarball/${SHA}`)
      .reply(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
    await expect(platform().openTree(SHA).listFiles()).rejects.toThrow(PermanentPlatformError);

    const trees = archives();
    nock(API).get(`/repos/Codertocat/Hello-World/tarball/${SHA}`).reply(502, { message: 'Server Error' });
    const failing = platform(trees).openTree(SHA).listFiles();
    await expect(failing).rejects.toThrow(TransientPlatformError);
    await expect(failing).rejects.toThrow(/GitHub download the archive of ec26c3e57ca3 failed with HTTP 502/);

    redirectToCodeload();
    nock(CODELOAD)
      .get(`/Codertocat/Hello-World/legacy.tar.gz/${SHA}`)
      .query(true)
      .reply(200, await repositoryTarball(ROOT, FILES));
    expect(await platform(trees).openTree(SHA).listFiles()).toHaveLength(2);
  });

  it('refuses a tarball with a path traversal entry', async () => {
    redirectToCodeload();
    const evil = await buildTarGzip([
      { name: `${ROOT}/`, type: 'directory' },
      { name: `${ROOT}/k8s/coffee.yaml`, content: FILES['k8s/coffee.yaml'] },
      { name: `${ROOT}/../../../../tmp/owned.yaml`, content: 'owned: true\n' },
    ]);
    nock(CODELOAD).get(`/Codertocat/Hello-World/legacy.tar.gz/${SHA}`).query(true).reply(200, evil);
    const error = await platform()
      .openTree(SHA)
      .readFile('k8s/coffee.yaml')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RepositoryArchiveError);
    expect((error as RepositoryArchiveError).refusal).toBe('unsafe-entry');
  });

  it('aborts the download mid-stream once the archive passes the byte cap', async () => {
    // A loopback server, not nock: only a real connection shows that the transfer was cut short.
    const tarball = await repositoryTarball(ROOT, { 'blob.bin': randomBytes(8 << 20) });
    const seen = { written: 0, closedEarly: false, paths: [] as string[] };
    const server = createServer((req, res) => {
      seen.paths.push(req.url ?? '');
      if (req.url?.startsWith('/api/repos/')) {
        res.writeHead(302, { location: `/codeload/legacy.tar.gz/${SHA}?token=AABBCCDD` }).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/x-gzip' }); // chunked: no length to check first
      res.on('close', () => {
        seen.closedEarly = seen.written < tarball.length;
      });
      // Paced like a real download, so the kernel's socket buffers do not swallow it all at once.
      const pump = () => {
        if (res.destroyed) return;
        if (seen.written >= tarball.length) return void res.end();
        const chunk = tarball.subarray(seen.written, seen.written + 64 * 1024);
        seen.written += chunk.length;
        if (res.write(chunk)) setTimeout(pump, 2);
        else res.once('drain', () => setTimeout(pump, 2));
      };
      pump();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    nock.enableNetConnect('127.0.0.1');
    try {
      const { port } = server.address() as AddressInfo;
      const octokit = new ProbotOctokit({
        auth: { token: 'ghs_test' },
        baseUrl: `http://127.0.0.1:${port}/api`,
        retry: { enabled: false },
        throttle: { enabled: false },
      }) as unknown as GitHubClient;
      const error = await createGitHubPlatform({
        octokit,
        owner: 'Codertocat',
        repo: 'Hello-World',
        archives: archives({ maxArchiveBytes: 256 * 1024 }),
      })
        .openTree(SHA)
        .listFiles()
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RepositoryArchiveError);
      expect((error as RepositoryArchiveError).toFinding()).toMatchObject({
        rule: 'repository-archive-too-large',
        location: { file: '(repository archive)' },
        message: expect.stringContaining('larger than 262144 bytes compressed'),
      });
      await vi.waitFor(() => expect(seen.closedEarly).toBe(true));
      expect(seen.paths).toEqual([
        `/api/repos/Codertocat/Hello-World/tarball/${SHA}`,
        `/codeload/legacy.tar.gz/${SHA}?token=AABBCCDD`,
      ]);
      expect(seen.written).toBeLessThan(tarball.length / 2);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      nock.disableNetConnect();
    }
  });

  it('refuses an archive whose declared length is over the cap before reading it', async () => {
    redirectToCodeload();
    const tarball = await repositoryTarball(ROOT, FILES);
    nock(CODELOAD)
      .get(`/Codertocat/Hello-World/legacy.tar.gz/${SHA}`)
      .query(true)
      .reply(200, tarball, { 'content-length': String(tarball.length) });
    const error = await platform(archives({ maxArchiveBytes: 100 }))
      .openTree(SHA)
      .listFiles()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RepositoryArchiveError);
    expect((error as Error).message).toContain(`is ${tarball.length} bytes, over the limit of 100 bytes`);
  });
});
