import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openGitTree } from '../../../src/adapters/git/open-git-tree.ts';
import { createGitBlobReader } from '../../../src/adapters/git/read-git-blobs.ts';

const repo = mkdtempSync(join(tmpdir(), 'tollgate-blobs-'));
const git = (args: string[], input?: string | Buffer) =>
  execFileSync('git', ['-C', repo, '-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], {
    encoding: 'utf8',
    ...(input !== undefined ? { input } : {}),
  }).trim();
const blob = (content: string | Buffer) => git(['hash-object', '-w', '--stdin'], content);

git(['init', '-q', '-b', 'main']);
// Bigger than a pipe's buffer, with newlines and NUL bytes: answers arrive in several chunks.
const big = Buffer.concat(Array.from({ length: 3000 }, (_, i) => Buffer.from(`line ${i}\n\0\n`.repeat(40))));
const bigSha = blob(big);
const smallSha = blob('apiVersion: v1\nkind: Service\n');
const emptySha = blob('');

afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe('createGitBlobReader', () => {
  it('answers pipelined reads in order from one process, each SHA read once', async () => {
    const reader = createGitBlobReader(repo);
    const answers = await Promise.all([
      reader.readBlob(bigSha),
      reader.readBlob(smallSha),
      reader.readBlob(emptySha),
      reader.readBlob(smallSha),
      reader.readBlob(bigSha),
    ]);
    reader.close();
    expect(Buffer.from(answers[0]!).equals(big)).toBe(true);
    expect(Buffer.from(answers[1]!).toString()).toBe('apiVersion: v1\nkind: Service\n');
    expect(answers[2]).toEqual(new Uint8Array());
    expect(answers[3]).toBe(answers[1]);
    expect(answers[4]).toBe(answers[0]);
    expect(reader.processes).toBe(1);
    expect(reader.blobsRead).toBe(3);
  });

  it('answers undefined for a SHA the repository lacks, and for a string that is no SHA', async () => {
    const reader = createGitBlobReader(repo);
    expect(await reader.readBlob('0'.repeat(40))).toBeUndefined();
    expect(await reader.readBlob('HEAD:secret')).toBeUndefined();
    expect(await reader.readBlob(smallSha)).toBeDefined();
    reader.close();
  });

  it('rejects, rather than hangs, when git cannot read the repository', async () => {
    const reader = createGitBlobReader(join(repo, 'no-such-folder'));
    await expect(reader.readBlob(smallSha)).rejects.toThrow(/git cat-file --batch/);
  });
});

describe('openGitTree with a shared reader', () => {
  it('reads a file both trees hold once', async () => {
    const { writeFileSync, mkdirSync } = await import('node:fs');
    mkdirSync(join(repo, 'deploy'), { recursive: true });
    writeFileSync(join(repo, 'deploy/a.yaml'), 'a: 1\n');
    writeFileSync(join(repo, 'deploy/b.yaml'), 'b: 1\n');
    git(['add', '.']);
    git(['commit', '-qm', 'base']);
    writeFileSync(join(repo, 'deploy/b.yaml'), 'b: 2\n');
    git(['commit', '-qam', 'head']);
    const reader = createGitBlobReader(repo);
    const base = await openGitTree(repo, 'HEAD~1', reader);
    const head = await openGitTree(repo, 'HEAD', reader);
    const read = async (tree: typeof base) =>
      (await tree.readFiles!(['deploy/a.yaml', 'deploy/b.yaml', 'deploy/none.yaml'])).map((b) =>
        b ? Buffer.from(b).toString() : undefined,
      );
    expect(await read(base)).toEqual(['a: 1\n', 'b: 1\n', undefined]);
    expect(await read(head)).toEqual(['a: 1\n', 'b: 2\n', undefined]);
    expect(reader.blobsRead).toBe(3);
    expect(reader.processes).toBe(1);
    reader.close();
  });
});
