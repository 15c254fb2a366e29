export type ChangeStatus = 'added' | 'modified' | 'removed' | 'renamed';

/** A file the merge request touches. */
export interface ChangedFile {
  path: string;
  status: ChangeStatus;
  previousPath?: string;
}
