import type { PlatformKind } from './platform.ts';

export type AuditOutcome = 'done' | 'partial' | 'failed' | 'refused' | 'planned' | 'cancelled';

/** Who did what, when, from where, and how it ended: one entry per command that changes something. */
export interface AuditRecord {
  /** ISO time. */
  at: string;
  actor: string;
  /** Command name: rollback, lock, unlock, override, recheck, cancel... */
  action: string;
  environment?: string;
  platform: PlatformKind;
  project: string;
  /** Merge request or issue number. */
  number: number;
  commentUrl?: string;
  outcome: AuditOutcome;
  /** One line: what was done (or why not). */
  detail: string;
  /** Links to what was created: deployments, revert merge requests. */
  links?: string[];
}

export interface AuditFilter {
  project?: string;
  environment?: string;
  /** Most recent first; at most this many. */
  limit?: number;
}

export interface AuditLog {
  append(record: AuditRecord): Promise<void>;
  read(filter?: AuditFilter): Promise<AuditRecord[]>;
}
