import {
  type ChangeRequestPlatform,
  nameChangeRequestKind,
  referToChangeRequest,
} from '../report/name-change-request.ts';
import {
  allowedCommands,
  DEFAULT_PERMISSIONS,
  describeRole,
  type PermissionMap,
  type Role,
  requiredRole,
} from './decide-permission.ts';
import type { EnvironmentLock } from './find-lock-findings.ts';
import { COMMAND_SUMMARY, COMMAND_USAGE, type CommandName } from './parse-commands.ts';
import type { RollbackPlan, RollbackStrategy } from './rollback-plan.ts';

/** Hidden marker so the bot (and readers) can tell its chat-ops replies apart. */
export const COMMAND_REPLY_MARKER = '<!-- tollgate:command-reply -->';

const short = (sha: string) => `\`${sha.slice(0, 12)}\``;

export function formatUsageError(text: string, error: string, usage: string): string {
  return `${COMMAND_REPLY_MARKER}\n❓ \`${text}\`: ${error}.\n\nUsage:\n\`\`\`\n${usage}\n\`\`\``;
}

export function formatRefusal(text: string, reason: string, allowed?: string): string {
  return `${COMMAND_REPLY_MARKER}\n⛔ \`${text}\` was refused: ${reason}.${allowed ? `\n\n${allowed}` : ''}\n\nNothing was changed.`;
}

export function formatNote(text: string, message: string): string {
  return `${COMMAND_REPLY_MARKER}\n${message}\n\n<sub>in reply to \`${text}\`</sub>`;
}

export interface HelpInput {
  user: string;
  role: Role;
  permissions?: PermissionMap;
  environments: readonly string[];
  locks: readonly EnvironmentLock[];
  project: string;
}

export function formatHelp(input: HelpInput): string {
  const mine = allowedCommands(input.role, input.permissions);
  const all = Object.keys(DEFAULT_PERMISSIONS) as CommandName[];
  const row = (c: CommandName) => `| \`${COMMAND_USAGE[c]}\` | ${COMMAND_SUMMARY[c]} |`;
  const others = all.filter((c) => !mine.includes(c));
  const lockOf = (env: string) => input.locks.find((l) => l.environment === env);
  const envs = input.environments.length
    ? input.environments
        .map((e) => {
          const lock = lockOf(e);
          return `- \`${e}\`${lock ? ` — 🔒 locked by @${lock.lockedBy}${lock.reason ? `: ${lock.reason}` : ''}` : ''}`;
        })
        .join('\n')
    : '- (none found: the repository records no environments yet)';
  return [
    COMMAND_REPLY_MARKER,
    `### Tollgate commands for @${input.user}`,
    '',
    '| Command | What it does |',
    '|---|---|',
    ...mine.map(row),
    '',
    others.length
      ? `Other commands need more access: ${others
          .map((c) => `\`${c}\` (${describeRole(requiredRole(c, input.permissions))})`)
          .join(', ')}.`
      : '',
    '',
    '**Environments**',
    envs,
    '',
    `\`/rollback ENV\` is short for \`/tollgate rollback ENV\`. Commands go at the start of a line; quoted and code lines are ignored.`,
    `Every change made by a command is on the audit record: \`tollgate audit --project ${input.project}\` (the Redis stream \`audit\` under Tollgate's queue prefix, kept across restarts).`,
  ]
    .filter((l, i, a) => !(l === '' && a[i - 1] === ''))
    .join('\n');
}

export interface PlanFormatOptions {
  dryRun: boolean;
  /** Whose words: pull requests `#8` (GitHub) or merge requests `!8` (GitLab). */
  platform?: ChangeRequestPlatform;
  diff?: string;
  timeoutMinutes: number;
}

const strategyWords = (strategy: RollbackStrategy, platform: ChangeRequestPlatform | undefined) =>
  strategy === 'redeploy'
    ? 'deploy the earlier commit again'
    : `open a revert ${nameChangeRequestKind(platform)} so the default branch matches what runs`;

export function formatPlan(plan: RollbackPlan, options: PlanFormatOptions): string {
  const mrs = plan.mergeRequests.length
    ? plan.mergeRequests
        .map((m) => `- [${referToChangeRequest(options.platform, m.number)} ${m.title}](${m.url})`)
        .join('\n')
    : `- (no ${nameChangeRequestKind(options.platform)} found for these commits)`;
  const commits = plan.commits
    .slice(0, 20)
    .map((c) => `- ${short(c.sha)} ${c.title}`)
    .join('\n');
  const more = plan.commits.length > 20 ? `\n- … and ${plan.commits.length - 20} more` : '';
  const deployment = (d?: { id: number; url?: string }) =>
    d ? ` (deployment ${d.url ? `[${d.id}](${d.url})` : d.id})` : '';
  const lines = [
    COMMAND_REPLY_MARKER,
    `### ${options.dryRun ? 'Rollback plan (dry run)' : 'Rollback plan'}: \`${plan.environment}\``,
    '',
    `- Runs now: ${short(plan.from.sha)}${deployment(plan.from.deployment)}`,
    `- Goes back to: ${short(plan.to.sha)}${deployment(plan.to.deployment)}`,
    `- Steps: ${plan.strategies.map((s) => `**${s}** (${strategyWords(s, options.platform)})`).join(', then ')}`,
    '',
    `**${options.platform === 'github' ? 'Pull' : 'Merge'} requests undone (${plan.mergeRequests.length})**`,
    mrs,
    '',
    `<details><summary>Commits undone (${plan.commits.length})</summary>\n\n${commits}${more}\n\n</details>`,
  ];
  if (plan.undeployed?.length && plan.strategies.includes('revert')) {
    lines.push(
      '',
      `> [!WARNING]\n> \`${plan.defaultBranch}\` has ${plan.undeployed.length} commit${plan.undeployed.length === 1 ? '' : 's'} merged after what runs in \`${plan.environment}\` (not deployed yet: ${plan.undeployed
        .slice(0, 5)
        .map((c) => `${short(c.sha)} ${c.title}`)
        .join(
          '; ',
        )}${plan.undeployed.length > 5 ? '; …' : ''}). On GitHub the revert step returns \`${plan.defaultBranch}\` to the rolled-back tree and undoes them too; review the revert ${nameChangeRequestKind(options.platform)} before merging it, or roll back with \`redeploy\` only.`,
    );
  }
  if (options.diff !== undefined) lines.push('', '**Manifest diff**', '', options.diff);
  lines.push('');
  if (options.dryRun) lines.push('Dry run: nothing was changed.');
  else
    lines.push(
      `To go ahead, @${plan.requestedBy} comments \`/tollgate confirm\` (or reacts 👍 to this comment) within ${options.timeoutMinutes} minutes. \`/tollgate cancel\` drops the plan.`,
    );
  return lines.join('\n');
}

export interface StepReport {
  strategy: RollbackStrategy;
  state: 'pending' | 'running' | 'done' | 'failed' | 'skipped';
  detail?: string;
  url?: string;
}

const STATE_ICON: Record<StepReport['state'], string> = {
  pending: '⏳',
  running: '🔄',
  done: '✅',
  failed: '❌',
  skipped: '⏭️',
};

export function formatProgress(
  plan: RollbackPlan,
  steps: readonly StepReport[],
  confirmedBy: string,
  platform?: ChangeRequestPlatform,
): string {
  const finished = steps.every((s) => s.state !== 'pending' && s.state !== 'running');
  const failed = steps.some((s) => s.state === 'failed');
  const headline = !finished
    ? `🔄 Rolling back \`${plan.environment}\``
    : failed
      ? `⚠️ Rollback of \`${plan.environment}\` did not fully complete`
      : `✅ Rolled back \`${plan.environment}\``;
  return [
    COMMAND_REPLY_MARKER,
    `### ${headline}`,
    '',
    `From ${short(plan.from.sha)} to ${short(plan.to.sha)}, confirmed by @${confirmedBy}.`,
    '',
    ...steps.map(
      (s) =>
        `- ${STATE_ICON[s.state]} **${s.strategy}**${s.detail ? `: ${s.detail}` : ''}${s.url ? ` — ${s.url}` : ''}`,
    ),
    '',
    `${platform === 'github' ? 'Pull' : 'Merge'} requests undone: ${plan.mergeRequests.map((m) => referToChangeRequest(platform, m.number)).join(', ') || 'none found'}.`,
  ].join('\n');
}
