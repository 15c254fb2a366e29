import type { PlatformKind } from './platform.ts';
import type { SourceTree } from './source-tree.ts';

/**
 * Reads a repository at a branch head, for settings that must come from the default branch (never
 * from a merge request's head: a merge request must not loosen who may roll back).
 */
export interface RepositoryReader {
  readonly kind: PlatformKind;
  readonly project: string;
  /** The commit SHA at the head of `branch`. */
  getBranchHead(branch: string): Promise<string>;
  openTree(sha: string): SourceTree;
}
