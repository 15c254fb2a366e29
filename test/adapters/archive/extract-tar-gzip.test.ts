import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { ArchiveLimits } from '../../../src/adapters/archive/archive-settings.ts';
import { extractTarGzip } from '../../../src/adapters/archive/extract-tar-gzip.ts';
import { openGitTree } from '../../../src/adapters/git/open-git-tree.ts';
import { TransientPlatformError } from '../../../src/usecases/ports/platform-errors.ts';
import { RepositoryArchiveError } from '../../../src/usecases/ports/repository-archive-error.ts';
import { buildTarGzip, repositoryTarball } from '../../support/fake-archive.ts';

const SHA = 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e';
const ROOT = `Codertocat-Hello-World-${SHA.slice(0, 7)}`;
const LIMITS: ArchiveLimits = { maxArchiveBytes: 1 << 20, maxExtractedBytes: 1 << 20, maxFiles: 100 };
const what = { sha: SHA, label: 'GitHub download the archive' };

/** A body that hands out `chunkSize` pieces and remembers how far it was read. */
function trackedBody(bytes: Buffer, chunkSize = 1024) {
  const read = { chunks: 0, finished: false };
  async function* body() {
    for (let i = 0; i < bytes.length; i += chunkSize) {
      read.chunks++;
      yield bytes.subarray(i, i + chunkSize);
    }
    read.finished = true;
  }
  return { body: body(), read, total: Math.ceil(bytes.length / chunkSize) };
}

async function refusal(promise: Promise<unknown>): Promise<RepositoryArchiveError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RepositoryArchiveError);
  return error as RepositoryArchiveError;
}

const text = (bytes: Uint8Array | undefined) => (bytes ? Buffer.from(bytes).toString('utf8') : undefined);

describe('extractTarGzip', () => {
  it('serves the files of the commit without the top folder, links as git stores them', async () => {
    const tgz = await repositoryTarball(
      ROOT,
      { '.tollgate.yml': 'version: 1\n', 'k8s/base/coffee.yaml': 'kind: Deployment\n' },
      {
        sha: SHA,
        extra: [
          { name: `${ROOT}/k8s/current.yaml`, type: 'symlink', linkname: 'base/coffee.yaml' },
          { name: `${ROOT}/k8s/passwd`, type: 'symlink', linkname: '../../etc/passwd' },
          { name: `${ROOT}/k8s/abs`, type: 'symlink', linkname: '/etc/passwd' },
          { name: `${ROOT}/k8s/hard`, type: 'link', linkname: `${ROOT}/.tollgate.yml` },
          { name: `${ROOT}/k8s/pipe`, type: 'fifo' },
        ],
      },
    );
    const snapshot = await extractTarGzip(trackedBody(tgz).body, LIMITS, what);
    expect([...snapshot.files.keys()].sort()).toEqual([
      '.tollgate.yml',
      'k8s/base/coffee.yaml',
      'k8s/current.yaml',
    ]);
    expect(text(snapshot.files.get('k8s/base/coffee.yaml'))).toBe('kind: Deployment\n');
    // Never followed: the link's content is its target text, as the git blob of a link is.
    expect(text(snapshot.files.get('k8s/current.yaml'))).toBe('base/coffee.yaml');
    expect(snapshot.bytes).toBe(11 + 17 + 16);
  });

  it('reads what `git archive` writes exactly as openGitTree reads the same commit', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'tollgate-archive-'));
    try {
      const git = (...args: string[]) =>
        execFileSync('git', ['-C', repo, '-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args]);
      git('init', '-q');
      await mkdir(join(repo, 'deploy/overlays/production'), { recursive: true });
      writeFileSync(join(repo, 'deploy/svc.yaml'), 'kind: Service\n');
      writeFileSync(join(repo, 'deploy/overlays/production/kustomization.yaml'), 'resources: [../..]\n');
      writeFileSync(join(repo, `${'long-name-'.repeat(12)}.yaml`), 'a: 1\n'); // > 100 chars: pax path
      symlinkSync('svc.yaml', join(repo, 'deploy/link.yaml'));
      git('add', '.');
      git('commit', '-qm', 'init');
      const sha = git('rev-parse', 'HEAD').toString().trim();
      const tgz = git('archive', '--format=tar.gz', `--prefix=group-project-${sha}-${sha}/`, sha);
      const snapshot = await extractTarGzip(trackedBody(tgz).body, LIMITS, { sha, label: 'test' });
      const tree = await openGitTree(repo, sha);
      const listed = (await tree.listFiles()).sort();
      expect([...snapshot.files.keys()].sort()).toEqual(listed);
      for (const path of listed) expect(text(snapshot.files.get(path))).toBe(text(await tree.readFile(path)));
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });

  it.each([
    ['a parent folder', `${ROOT}/../../home/evil.yaml`],
    ['an absolute path', '/etc/cron.d/evil'],
    ['a second top folder', 'other-root/evil.yaml'],
    ['a dot component', `${ROOT}/./k8s/evil.yaml`],
  ])('refuses the whole archive for an entry with %s', async (_label, name) => {
    const tgz = await buildTarGzip([
      { name: `${ROOT}/`, type: 'directory' },
      { name: `${ROOT}/ok.yaml`, content: 'a: 1\n' },
      { name, content: 'evil: true\n' },
    ]);
    const error = await refusal(extractTarGzip(trackedBody(tgz).body, LIMITS, what));
    expect(error.refusal).toBe('unsafe-entry');
    expect(error.message).toContain(JSON.stringify(name));
    expect(error.toFinding()).toMatchObject({
      check: 'render',
      rule: 'repository-archive-unsafe',
      blocking: true,
      location: { file: '(repository archive)' },
    });
  });

  it('stops the download once the compressed size passes the limit', async () => {
    const tgz = await repositoryTarball(ROOT, { 'big.bin': randomBytes(256 * 1024), 'small.yaml': 'a: 1\n' });
    expect(tgz.length).toBeGreaterThan(64 * 1024);
    const tracked = trackedBody(tgz);
    const error = await refusal(
      extractTarGzip(tracked.body, { ...LIMITS, maxArchiveBytes: 16 * 1024 }, what),
    );
    expect(error.refusal).toBe('max-archive-bytes');
    expect(error.message).toMatch(/larger than 16384 bytes compressed \(limit TOLLGATE_ARCHIVE_MAX_BYTES\)/);
    expect(error.setting).toBe('TOLLGATE_ARCHIVE_MAX_BYTES');
    expect(tracked.read.finished).toBe(false);
    expect(tracked.read.chunks).toBeLessThan(tracked.total / 2);
    expect(error.toFinding()).toMatchObject({
      rule: 'repository-archive-too-large',
      blocking: true,
      location: { file: '(repository archive)' },
    });
  });

  it('stops a gzip bomb at the unpacked limit without reading it all', async () => {
    const tgz = await repositoryTarball(ROOT, { 'zeros.bin': Buffer.alloc(64 << 20) });
    expect(tgz.length).toBeLessThan(128 * 1024); // 64 MiB of zeros packs to about 64 KiB
    const tracked = trackedBody(tgz, 512);
    const error = await refusal(
      extractTarGzip(tracked.body, { ...LIMITS, maxExtractedBytes: 1 << 20 }, what),
    );
    expect(error.refusal).toBe('max-extracted-bytes');
    expect(error.message).toContain(
      'unpacks to more than 1 MiB (limit TOLLGATE_ARCHIVE_MAX_EXTRACTED_BYTES)',
    );
    expect(tracked.read.finished).toBe(false); // read-ahead of the streams only, not the 64 MiB
  });

  it('stops at the entry limit', async () => {
    const files = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`f${i}.yaml`, `i: ${i}\n`]));
    const error = await refusal(
      extractTarGzip(
        trackedBody(await repositoryTarball(ROOT, files)).body,
        { ...LIMITS, maxFiles: 10 },
        what,
      ),
    );
    expect(error.refusal).toBe('max-files');
    expect(error.message).toContain('more than 10 entries (limit TOLLGATE_ARCHIVE_MAX_FILES)');
  });

  it('treats a cut or corrupt download as transient', async () => {
    const tgz = await repositoryTarball(ROOT, { 'a.yaml': 'a: 1\n'.repeat(5000) });
    const cut = extractTarGzip(trackedBody(tgz.subarray(0, tgz.length - 40)).body, LIMITS, what);
    await expect(cut).rejects.toThrow(TransientPlatformError);
    await expect(cut).rejects.toThrow(/GitHub download the archive could not be read/);
    const notGzip = extractTarGzip(trackedBody(Buffer.from('<html>oops</html>')).body, LIMITS, what);
    await expect(notGzip).rejects.toThrow(TransientPlatformError);
    const notTar = extractTarGzip(trackedBody(gzipSync(Buffer.alloc(2048, 7))).body, LIMITS, what);
    await expect(notTar).rejects.toThrow(TransientPlatformError);
  });
});
