import type { EnvironmentLock } from '../../core/chatops/find-lock-findings.ts';
import type { ProjectScope } from './project-scope.ts';

/** Reading locks is all the review needs. */
export interface EnvironmentLockReader {
  readLocks(scope: ProjectScope): Promise<EnvironmentLock[]>;
}

export interface EnvironmentLockStore extends EnvironmentLockReader {
  getLock(scope: ProjectScope, environment: string): Promise<EnvironmentLock | undefined>;
  setLock(scope: ProjectScope, lock: EnvironmentLock): Promise<void>;
  /** True when a lock was there. */
  removeLock(scope: ProjectScope, environment: string): Promise<boolean>;
}
