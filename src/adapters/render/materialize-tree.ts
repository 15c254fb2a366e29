import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Finding } from '../../core/findings/finding.ts';
import type { SourceTree } from '../../usecases/ports/source-tree.ts';
import { loadTreeFiles, type TreeLoadLimits } from './load-tree-files.ts';

/** A tree written to a temporary folder; `release` removes it once its last user is done. */
export interface MaterializedTree {
  dir: string;
  /** Repository-relative paths written. */
  files: string[];
  /** Files left out (too large, too many). */
  findings: Finding[];
  release(): Promise<void>;
}

interface Entry {
  ready: Promise<{ dir: string; files: string[]; findings: Finding[] }>;
  users: number;
}

const cache = new Map<string, Entry>();

/**
 * Writes a tree's files to a fresh temporary folder (bounded by the limits) for render commands.
 * Concurrent and nested users of the same commit share one folder (cached by SHA within the
 * process); it is deleted when the last one calls `release`.
 */
export async function materializeTree(
  tree: SourceTree,
  limits: TreeLoadLimits,
  tempRoot: string = tmpdir(),
): Promise<MaterializedTree> {
  let entry = cache.get(tree.sha);
  if (!entry) {
    entry = { ready: writeTree(tree, limits, tempRoot), users: 0 };
    cache.set(tree.sha, entry);
  }
  entry.users++;
  const current = entry;
  let ready: Awaited<Entry['ready']>;
  try {
    ready = await current.ready;
  } catch (error) {
    current.users--;
    if (cache.get(tree.sha) === current) cache.delete(tree.sha);
    throw error;
  }
  let released = false;
  return {
    ...ready,
    release: async () => {
      if (released) return;
      released = true;
      if (--current.users > 0) return;
      if (cache.get(tree.sha) === current) cache.delete(tree.sha);
      await rm(ready.dir, { recursive: true, force: true });
    },
  };
}

async function writeTree(tree: SourceTree, limits: TreeLoadLimits, tempRoot: string) {
  const { files, findings } = await loadTreeFiles(tree, () => true, limits);
  const dir = await mkdtemp(join(tempRoot, `tollgate-tree-${tree.sha.slice(0, 12)}-`));
  try {
    for (const [path, bytes] of files) {
      const target = join(dir, path);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, bytes, { mode: 0o644 });
    }
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return { dir, files: [...files.keys()], findings };
}
