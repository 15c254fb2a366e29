import { type ChildProcessByStdio, spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

/** Reads blobs of one local repository by SHA through one long-lived `git cat-file --batch`. */
export interface GitBlobReader {
  /** The blob's bytes; undefined when the repository has no such blob. */
  readBlob(sha: string): Promise<Uint8Array | undefined>;
  /** Processes started so far (one, or none before the first read). */
  readonly processes: number;
  /** Blobs read from git (each SHA at most once). */
  readonly blobsRead: number;
  close(): void;
}

interface Pending {
  sha: string;
  resolve(bytes: Uint8Array | undefined): void;
  reject(error: Error): void;
}

/**
 * One `git cat-file --batch` for every blob a review reads: requests are pipelined (a SHA per line
 * on stdin, answers in order on stdout) and each SHA is read once, so the base and the head tree
 * share what they have in common. The process is started on the first read and ends when stdin
 * closes (`close()`, or the process exiting); it keeps Node alive only while a read is pending.
 */
export function createGitBlobReader(repo: string): GitBlobReader {
  const cache = new Map<string, Promise<Uint8Array | undefined>>();
  const queue: Pending[] = [];
  let child: ChildProcessByStdio<Writable, Readable, Readable> | undefined;
  let processes = 0;
  let failure: Error | undefined;
  let buffer: Buffer = Buffer.alloc(0);
  let stderr = '';

  // Referenced (keeping Node alive) only while answers are awaited.
  const hold = (active: boolean) => {
    if (!child) return;
    for (const handle of [child, child.stdout, child.stderr] as unknown as { ref(): void; unref(): void }[])
      active ? handle.ref() : handle.unref();
  };
  const fail = (error: Error) => {
    failure = error;
    for (const p of queue.splice(0)) p.reject(error);
  };

  const drain = () => {
    while (queue.length > 0) {
      const newline = buffer.indexOf(10);
      if (newline < 0) return;
      const header = buffer.subarray(0, newline).toString('utf8');
      const head = queue[0]!;
      if (header.endsWith(' missing')) {
        buffer = buffer.subarray(newline + 1);
        queue.shift();
        head.resolve(undefined);
        continue;
      }
      const [, type, sizeText] = header.split(' ');
      const size = Number(sizeText);
      if (!type || !Number.isSafeInteger(size)) {
        fail(new Error(`git cat-file --batch in ${repo}: unexpected answer "${header.slice(0, 200)}"`));
        return;
      }
      if (buffer.length < newline + 1 + size + 1) return; // the rest of the blob is still coming
      const bytes = new Uint8Array(buffer.subarray(newline + 1, newline + 1 + size));
      buffer = buffer.subarray(newline + 1 + size + 1);
      queue.shift();
      head.resolve(type === 'blob' ? bytes : undefined);
    }
    if (queue.length === 0) hold(false);
  };

  const start = () => {
    const proc = spawn('git', ['-C', repo, 'cat-file', '--batch'], { stdio: ['pipe', 'pipe', 'pipe'] });
    processes++;
    proc.stdout.on('data', (chunk: Buffer) => {
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      drain();
    });
    proc.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-2000);
    });
    proc.on('error', (error) => fail(new Error(`git cat-file --batch in ${repo}: ${error.message}`)));
    proc.on('close', (code) => {
      child = undefined;
      if (queue.length > 0)
        fail(new Error(`git cat-file --batch in ${repo} ended (${code}): ${stderr.trim() || 'no output'}`));
    });
    proc.stdin.on('error', () => {}); // reported by 'close'
    (proc.stdin as unknown as { unref(): void }).unref();
    return proc;
  };

  return {
    get processes() {
      return processes;
    },
    get blobsRead() {
      return cache.size;
    },
    readBlob(sha) {
      if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(sha)) return Promise.resolve(undefined);
      const known = cache.get(sha);
      if (known) return known;
      const read = new Promise<Uint8Array | undefined>((resolve, reject) => {
        if (failure) return reject(failure);
        child ??= start();
        if (queue.length === 0) hold(true);
        queue.push({ sha, resolve, reject });
        child.stdin.write(`${sha}\n`);
      });
      cache.set(sha, read);
      return read;
    },
    close() {
      child?.stdin.end();
    },
  };
}
