import type { ChangedFile } from '../../src/usecases/ports/changed-file.ts';
import type { SourceTree } from '../../src/usecases/ports/source-tree.ts';

/** A SourceTree over files in memory (the port the CLI fills from git and the bot from the API). */
export function memoryTree(sha: string, files: Record<string, string>): SourceTree {
  return {
    sha,
    listFiles: async () => Object.keys(files),
    readFile: async (path) => (path in files ? new TextEncoder().encode(files[path]) : undefined),
  };
}

/** What a merge request from `base` to `head` changes, as the platform would list it. */
export function changedBetween(base: Record<string, string>, head: Record<string, string>): ChangedFile[] {
  const paths = new Set([...Object.keys(base), ...Object.keys(head)]);
  return [...paths]
    .filter((p) => base[p] !== head[p])
    .map((path) => ({ path, status: !(path in base) ? 'added' : !(path in head) ? 'removed' : 'modified' }));
}
