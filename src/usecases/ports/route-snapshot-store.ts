import type { CrossChangeSummary } from '../../core/routes/find-cross-change-findings.ts';
import type { RouteSnapshot } from '../../core/routes/route-snapshot.ts';
import type { ProjectScope } from './project-scope.ts';

/** The open merge requests of one project that target one branch. */
export interface TargetScope extends ProjectScope {
  targetBranch: string;
}

/**
 * Keeps each open merge request's route objects (from its last analysed head) so the next review
 * of another merge request to the same branch can check both together.
 */
export interface RouteSnapshotStore {
  save(scope: TargetScope, snapshot: RouteSnapshot): Promise<void>;
  /** Snapshots of the other merge requests targeting the branch (expired ones are dropped). */
  listOthers(scope: TargetScope, number: number): Promise<RouteSnapshot[]>;
  /** Forgets merge requests that are no longer open (every target branch of the project). */
  retainOpen(scope: ProjectScope, openNumbers: readonly number[]): Promise<number[]>;
  /**
   * Records the conflicts `number` has now (replacing the last record) and returns, per other
   * merge request, the conflict keys that were not recorded before.
   */
  recordConflicts(
    scope: ProjectScope,
    number: number,
    conflicts: readonly CrossChangeSummary[],
  ): Promise<CrossChangeSummary[]>;
}
