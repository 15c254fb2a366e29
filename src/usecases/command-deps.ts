import type { PermissionMap } from '../core/chatops/decide-permission.ts';
import type { RollbackStrategy } from '../core/chatops/rollback-plan.ts';
import type { AuditLog, AuditRecord } from './ports/audit-log.ts';
import type { BranchDoctorPort } from './ports/branch-doctor-port.ts';
import type { CommandPlatform, CommandThread, CommandUser } from './ports/command-platform.ts';
import type { EnvironmentLockStore } from './ports/environment-lock-store.ts';
import type { EnvironmentMutex } from './ports/environment-mutex.ts';
import type { OverrideStore } from './ports/override-store.ts';
import type { ProjectScope } from './ports/project-scope.ts';
import type { RollbackPlanStore } from './ports/rollback-plan-store.ts';

/** Repository settings for chat-ops (from `.tollgate.yml`, parsed elsewhere); all optional. */
export interface ChatOpsSettings {
  /** Role each command needs, overriding the defaults. */
  permissions?: PermissionMap;
  /** Environments the repository declares; when absent, the platform's list is used. */
  environments?: string[];
  /** Rollback steps, in order (default: redeploy, then revert). */
  strategies?: RollbackStrategy[];
  /** How long a rollback plan waits for confirmation (default 5 minutes). */
  confirmTimeoutMs?: number;
  /** Markdown manifest diff between two commits (the diff module); shown in the plan when given. */
  renderDiff?: (fromSha: string, toSha: string) => Promise<string>;
  /** The branch `/tollgate doctor` inspects (`.tollgate.yml` `protectedBranch`; default: the default branch). */
  protectedBranch?: string;
}

export interface CommandStores {
  locks: EnvironmentLockStore;
  mutex: EnvironmentMutex;
  plans: RollbackPlanStore;
  overrides: OverrideStore;
  audit: AuditLog;
}

export interface CommandDeps {
  platform: CommandPlatform;
  stores: CommandStores;
  /** Queues a fresh check of the merge request's head (not de-duplicated against earlier runs). */
  requestRecheck: (number: number, headSha: string, reason: string) => Promise<void>;
  settings?: ChatOpsSettings;
  /** Reads branch protection for `/tollgate doctor` (read-only: a comment never applies fixes). */
  doctor?: () => Promise<BranchDoctorPort>;
  now?: () => Date;
}

/** One comment, as the worker hands it over. */
export interface CommandRequest {
  thread: CommandThread;
  comment: { id: number; body: string; url?: string };
  author: CommandUser;
  /** The repository's default branch (revert merge requests target it). */
  defaultBranch: string;
}

export const DEFAULT_CONFIRM_TIMEOUT_MS = 5 * 60_000;

export function scopeOf(deps: CommandDeps): ProjectScope {
  return { platform: deps.platform.kind, project: deps.platform.project };
}

export function nowOf(deps: CommandDeps): Date {
  return deps.now ? deps.now() : new Date();
}

export async function writeAudit(
  deps: CommandDeps,
  request: CommandRequest,
  entry: Pick<AuditRecord, 'action' | 'outcome' | 'detail'> &
    Partial<Pick<AuditRecord, 'environment' | 'links'>>,
): Promise<void> {
  await deps.stores.audit.append({
    at: nowOf(deps).toISOString(),
    actor: request.author.login,
    platform: deps.platform.kind,
    project: deps.platform.project,
    number: request.thread.number,
    ...(request.comment.url ? { commentUrl: request.comment.url } : {}),
    ...entry,
  });
}
