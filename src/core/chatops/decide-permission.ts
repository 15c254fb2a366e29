import type { CommandName } from './parse-commands.ts';

/**
 * One ladder for both platforms. GitHub repository roles map by name; GitLab access levels map
 * Guest 10 → read, Reporter 20 → triage, Developer 30 → write, Maintainer 40 → maintain, Owner 50 → admin.
 */
export const ROLES = ['none', 'read', 'triage', 'write', 'maintain', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who may run what, by default: changes to environments need maintainers. */
export const DEFAULT_PERMISSIONS: Record<CommandName, Role> = {
  help: 'none',
  recheck: 'write',
  rollback: 'maintain',
  confirm: 'maintain',
  cancel: 'maintain',
  lock: 'maintain',
  unlock: 'maintain',
  override: 'maintain',
  doctor: 'maintain',
};

export type PermissionMap = Partial<Record<CommandName, Role>>;

export type PermissionDecision =
  | { allowed: true; required: Role }
  | { allowed: false; required: Role; reason: string };

export function roleRank(role: Role): number {
  return ROLES.indexOf(role);
}

/** GitHub's `role_name` (custom roles fall back to the base `permission`). */
export function roleFromGitHub(roleName: string | undefined, permission: string | undefined): Role {
  for (const candidate of [roleName, permission]) {
    if (candidate === 'pull') return 'read';
    if (candidate === 'push') return 'write';
    if (candidate && (ROLES as readonly string[]).includes(candidate)) return candidate as Role;
  }
  return 'none';
}

/** GitLab member `access_level` (0 none, 5 minimal, 10 guest, 15 planner, 20 reporter, 30, 40, 50). */
export function roleFromGitLab(accessLevel: number | undefined): Role {
  if (accessLevel === undefined) return 'none';
  if (accessLevel >= 50) return 'admin';
  if (accessLevel >= 40) return 'maintain';
  if (accessLevel >= 30) return 'write';
  if (accessLevel >= 20) return 'triage';
  if (accessLevel >= 10) return 'read';
  return 'none';
}

const ROLE_WORDS: Record<Role, string> = {
  none: 'anyone',
  read: 'read access (GitLab: Guest)',
  triage: 'triage access (GitLab: Reporter)',
  write: 'write access (GitLab: Developer)',
  maintain: 'maintain or admin access (GitLab: Maintainer)',
  admin: 'admin access (GitLab: Owner)',
};

export function describeRole(role: Role): string {
  return ROLE_WORDS[role];
}

/**
 * The role a command needs: configured, else the default, read from own properties only (a
 * value inherited from a polluted Object.prototype never grants anything); an unknown command
 * needs admin.
 */
export function requiredRole(command: CommandName, permissions: PermissionMap = {}): Role {
  const configured = Object.hasOwn(permissions, command) ? permissions[command] : undefined;
  if (configured !== undefined && (ROLES as readonly string[]).includes(configured)) return configured;
  return Object.hasOwn(DEFAULT_PERMISSIONS, command) ? DEFAULT_PERMISSIONS[command] : 'admin';
}

/** The role a command needs (configured or default), and whether `role` has it. */
export function decidePermission(
  command: CommandName,
  role: Role,
  permissions: PermissionMap = {},
): PermissionDecision {
  const required = requiredRole(command, permissions);
  if (roleRank(role) >= roleRank(required)) return { allowed: true, required };
  return {
    allowed: false,
    required,
    reason: `\`/tollgate ${command}\` needs ${describeRole(required)}; you have ${role === 'none' ? 'no access' : `${role} access`} to this repository`,
  };
}

/** Commands this role may run, for `help`. */
export function allowedCommands(role: Role, permissions: PermissionMap = {}): CommandName[] {
  return (Object.keys(DEFAULT_PERMISSIONS) as CommandName[]).filter(
    (c) => decidePermission(c, role, permissions).allowed,
  );
}
