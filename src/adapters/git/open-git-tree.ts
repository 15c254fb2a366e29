import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { SourceTree } from '../../usecases/ports/source-tree.ts';
import { createGitBlobReader, type GitBlobReader } from './read-git-blobs.ts';

const run = promisify(execFile);
const MAX_BUFFER = 512 * 1024 * 1024;

export class GitError extends Error {
  override name = 'GitError';
}

async function git(repo: string, args: string[], encoding: 'utf8' | 'buffer' = 'utf8') {
  try {
    const { stdout } = await run('git', ['-C', repo, ...args], {
      maxBuffer: MAX_BUFFER,
      encoding: encoding === 'utf8' ? 'utf8' : 'buffer',
    });
    return stdout as string | Buffer;
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '').trim();
    throw new GitError(`git ${args.join(' ')} failed in ${repo}: ${stderr || (error as Error).message}`);
  }
}

/** Full commit SHA of a ref (branch, tag, `HEAD~1`, SHA) in a local repository. */
export async function resolveGitRef(repo: string, ref: string): Promise<string> {
  const out = (await git(repo, ['rev-parse', '--verify', '--end-of-options', `${ref}^{commit}`])) as string;
  return out.trim();
}

/** True when the repository is a shallow clone (part of its history was never fetched). */
export async function isShallowGitRepository(repo: string): Promise<boolean> {
  return ((await git(repo, ['rev-parse', '--is-shallow-repository'])) as string).trim() === 'true';
}

/** Commits on `head` that are not on `base`, and the merge base. */
export async function findMergeBase(repo: string, base: string, head: string): Promise<string> {
  return ((await git(repo, ['merge-base', base, head])) as string).trim();
}

/** The branch a ref names (`HEAD` → the checked-out branch); the ref itself when it is no branch. */
export async function resolveGitBranchName(repo: string, ref: string): Promise<string> {
  try {
    const name = ((await git(repo, ['rev-parse', '--abbrev-ref', ref])) as string).trim();
    return name && name !== 'HEAD' ? name : ref;
  } catch {
    return ref;
  }
}

/** Commits on `base` that `head` lacks (how far a branch is behind its target). */
export async function countGitCommitsBehind(repo: string, base: string, head: string): Promise<number> {
  return Number(((await git(repo, ['rev-list', '--count', `${head}..${base}`])) as string).trim());
}

/** Paths changed between two commits (added, modified, renamed: the new path; deleted: the old one). */
export async function listGitChangedFiles(
  repo: string,
  baseSha: string,
  headSha: string,
): Promise<{ path: string; status: 'added' | 'modified' | 'removed' | 'renamed'; previousPath?: string }[]> {
  const out = (await git(repo, ['diff', '--name-status', '-z', '-M', baseSha, headSha])) as string;
  const parts = out.split('\0').filter((p) => p !== '');
  const files: {
    path: string;
    status: 'added' | 'modified' | 'removed' | 'renamed';
    previousPath?: string;
  }[] = [];
  for (let i = 0; i < parts.length; ) {
    const code = parts[i++]!;
    if (code.startsWith('R') || code.startsWith('C')) {
      const previousPath = parts[i++]!;
      files.push({ path: parts[i++]!, status: 'renamed', previousPath });
    } else {
      const path = parts[i++]!;
      files.push({ path, status: code === 'A' ? 'added' : code === 'D' ? 'removed' : 'modified' });
    }
  }
  return files;
}

/**
 * A SourceTree over a commit of a local git repository. The file list (path → blob SHA) is read
 * once with `git ls-tree`; contents are read through `blobs`, one `git cat-file --batch` that
 * reads each blob once (pass the same reader to the base and the head tree so the files they
 * share are read once), or a reader of this tree's own.
 */
export async function openGitTree(
  repo: string,
  ref: string,
  blobs: GitBlobReader = createGitBlobReader(repo),
): Promise<SourceTree> {
  const sha = await resolveGitRef(repo, ref);
  let files: Promise<Map<string, string>> | undefined;
  const listing = () => {
    files ??= (async () => {
      const out = (await git(repo, ['ls-tree', '-r', '-z', '--full-tree', sha])) as string;
      const map = new Map<string, string>();
      for (const entry of out.split('\0')) {
        if (!entry) continue;
        const tab = entry.indexOf('\t');
        const [, type, blob] = entry.slice(0, tab).split(' ');
        if (type === 'blob' && blob) map.set(entry.slice(tab + 1), blob);
      }
      return map;
    })();
    return files;
  };
  const readFile = async (path: string) => {
    const blob = (await listing()).get(path);
    return blob ? blobs.readBlob(blob) : undefined;
  };
  return {
    sha,
    listFiles: async () => [...(await listing()).keys()],
    readFile,
    readFiles: (paths) => Promise.all(paths.map(readFile)),
  };
}
