import type { ProjectScope } from './project-scope.ts';

export type MutexAcquisition = { acquired: true; token: string } | { acquired: false; heldBy: string };

/**
 * A short-lived, per-environment mutex: a rollback (from plan to done) and a lock/unlock cannot
 * run at the same time. SET NX PX takes it; a token check releases it, so an expired holder never
 * frees someone else's hold.
 */
export interface EnvironmentMutex {
  acquire(scope: ProjectScope, environment: string, holder: string, ttlMs: number): Promise<MutexAcquisition>;
  /** Keeps a hold alive longer; false when it was lost (expired or taken over). */
  extend(scope: ProjectScope, environment: string, token: string, ttlMs: number): Promise<boolean>;
  release(scope: ProjectScope, environment: string, token: string): Promise<boolean>;
}
