import type { Finding } from '../findings/finding.ts';
import { formatLocation } from '../findings/format-location.ts';
import { type ChangeRequestPlatform, referToChangeRequest } from '../report/name-change-request.ts';
import { type BypassKind, describeBypass, type GateState } from './classify-push.ts';

export const BYPASS_LABEL = 'tollgate-bypass';

/** Hidden marker naming one bypass: the same push (a retried job) finds and updates its issue. */
export function bypassMarker(branch: string, afterSha: string): string {
  return `<!-- tollgate:bypass:${branch}:${afterSha} -->`;
}

export interface BypassCommit {
  sha: string;
  title: string;
  author?: string;
}

export interface BypassIssueInput {
  kind: BypassKind;
  branch: string;
  beforeSha: string;
  afterSha: string;
  pusher: string;
  commits: readonly BypassCommit[];
  /** Findings of the checks run on before..after (not including the bypass itself). */
  findings: readonly Finding[];
  changeRequest?: { number: number; webUrl: string; headCheckState?: GateState | undefined };
  /** Whose words: pull request `#8` (GitHub) or merge request `!8` (GitLab). */
  platform?: ChangeRequestPlatform;
  commitUrl?: (sha: string) => string;
  /** More commits than listed (the platform caps its listing). */
  totalCommits?: number;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** Title and markdown body of the issue that reports one bypass of the gate. */
export function formatBypassIssue(input: BypassIssueInput): { title: string; body: string } {
  const short = (sha: string) => sha.slice(0, 12);
  const link = (sha: string) =>
    input.commitUrl ? `[\`${short(sha)}\`](${input.commitUrl(sha)})` : `\`${short(sha)}\``;
  const title = `${describeBypass(input.kind, input.branch)} (${short(input.afterSha)})`;
  const lines = [
    bypassMarker(input.branch, input.afterSha),
    `## ⛔ ${describeBypass(input.kind, input.branch)}`,
    '',
    `- **Pushed by:** ${input.pusher}`,
    `- **Branch:** \`${input.branch}\` moved from ${link(input.beforeSha)} to ${link(input.afterSha)}`,
  ];
  if (input.changeRequest) {
    lines.push(
      `- **${input.platform === 'github' ? 'Pull' : 'Merge'} request:** [${referToChangeRequest(input.platform, input.changeRequest.number)}](${input.changeRequest.webUrl}), \`tollgate\` check was **${input.changeRequest.headCheckState ?? 'never set'}** when it merged`,
    );
  }
  lines.push('', '### Commits', '');
  if (input.commits.length === 0) lines.push('_No commit list is available for this push._');
  for (const c of input.commits) {
    lines.push(`- ${link(c.sha)} ${cell(c.title)}${c.author ? ` — ${cell(c.author)}` : ''}`);
  }
  if (input.totalCommits && input.totalCommits > input.commits.length) {
    lines.push(`- … and ${input.totalCommits - input.commits.length} more`);
  }
  lines.push('', '### Findings on these commits', '');
  if (input.findings.length === 0) lines.push('The checks found nothing else wrong in these commits.');
  else {
    lines.push('| | Rule | Where | Details |', '|---|---|---|---|');
    for (const f of input.findings) {
      const icon = f.blocking ? '⛔' : f.severity === 'warning' ? '⚠️' : 'ℹ️';
      lines.push(
        `| ${icon} | \`${f.check}/${f.rule}\` | ${formatLocation(f.location) || '—'} | ${cell(f.title)}: ${cell(f.message)} |`,
      );
    }
  }
  lines.push(
    '',
    '### What to do',
    '',
    '- Confirm the change was intended, or revert it through a merge request.',
    '- Run `tollgate doctor` to see which branch protection settings let this through, and `tollgate doctor --apply` to fix them.',
    '- Close this issue when done. Tollgate opened it because the gated path is the only path to production.',
  );
  return { title: title.slice(0, 250), body: lines.join('\n') };
}
