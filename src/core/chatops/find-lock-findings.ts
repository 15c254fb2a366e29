import type { Finding } from '../findings/finding.ts';

/** A frozen environment: set by `/tollgate lock ENV [reason]`, lifted by `/tollgate unlock ENV`. */
export interface EnvironmentLock {
  environment: string;
  /** Login (GitHub) or username (GitLab) of who locked it. */
  lockedBy: string;
  reason?: string;
  /** ISO time. */
  lockedAt: string;
  /** Where the lock was set: a comment URL. */
  source?: string;
}

/**
 * Merges that touch a locked environment fail the check: one blocking finding per locked
 * environment the change touches, naming who locked it, why, and how to lift it.
 */
export function findLockFindings(
  locks: readonly EnvironmentLock[],
  touchedEnvironments: readonly string[],
): Finding[] {
  const touched = new Set(touchedEnvironments);
  return locks
    .filter((lock) => touched.has(lock.environment))
    .sort((a, b) => a.environment.localeCompare(b.environment))
    .map((lock) => ({
      check: 'lock',
      rule: 'environment-locked',
      severity: 'error',
      blocking: true,
      environment: lock.environment,
      title: `${lock.environment} is locked by @${lock.lockedBy}`,
      message:
        `This change touches ${lock.environment}, which @${lock.lockedBy} locked on ${lock.lockedAt}` +
        `${lock.reason ? `: ${lock.reason}` : ' (no reason given)'}` +
        `${lock.source ? ` (${lock.source})` : ''}. Merges into a locked environment are held until it is unlocked.`,
      remedy: `Wait for the freeze to end, or ask a maintainer to comment \`/tollgate unlock ${lock.environment}\`.`,
    }));
}
