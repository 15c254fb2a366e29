import { formatDiffMarkdown } from '../diff/format-diff-markdown.ts';
import type { Finding } from '../findings/finding.ts';
import { formatLocation } from '../findings/format-location.ts';
import type { Report } from './report.ts';

/** Hidden marker that lets the bot find its own sticky comment again. */
export const REPORT_MARKER = '<!-- tollgate:report -->';

/** GitHub refuses comments over 65,536 characters; GitLab notes allow 1,000,000. Stay under both. */
export const COMMENT_BUDGET = 60_000;

export interface CommentOptions {
  /** Builds a link to a file and line at the head commit (platform-specific), when the platform has one. */
  linkTo?: (file: string, line: number | undefined) => string | undefined;
  /** Total characters the comment may take (default COMMENT_BUDGET). */
  budget?: number;
}

const GROUPED_CHECKS: Record<string, string> = { policy: 'Policies', routes: 'Routes' };

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function icon(f: Finding): string {
  return f.blocking ? '⛔' : f.severity === 'warning' || f.severity === 'error' ? '⚠️' : 'ℹ️';
}

function where(finding: Finding, options: CommentOptions): string {
  const label = formatLocation(finding.location);
  const env = finding.environment ? ` (env \`${finding.environment}\`)` : '';
  if (!label) return env.trim();
  // Shipped policies (tollgate:...) and pseudo-files such as (repository archive) have no page to link to.
  const url = /^(tollgate:|\()/.test(finding.location!.file)
    ? undefined
    : options.linkTo?.(finding.location!.file, finding.location!.line);
  return `${url ? `[\`${label}\`](${url})` : `\`${label}\``}${env}`;
}

/** The plain-words checklist: what blocks the merge and what to do for each item. */
function renderChecklist(blocking: Finding[], options: CommentOptions): string {
  const lines = blocking.map((f) => {
    const at = where(f, options);
    return `- [ ] **${escapeCell(f.title)}**${at ? ` at ${at}` : ''}${f.remedy ? ` — ${f.remedy}` : ''}`;
  });
  return ['### What blocks the merge', '', ...lines].join('\n');
}

/** Policy and route findings, grouped by rule: the rule once, then each object it concerns. */
function renderGroupedSection(title: string, findings: Finding[], options: CommentOptions): string {
  const byRule = new Map<string, Finding[]>();
  for (const f of findings) byRule.set(f.rule, [...(byRule.get(f.rule) ?? []), f]);
  const parts = [`### ${title}`];
  for (const [rule, group] of byRule) {
    parts.push(
      `**\`${rule}\`**\n${group
        .map(
          (f) =>
            `- ${icon(f)} ${(f.objects ?? []).map((o) => `\`${o}\``).join(', ') || escapeCell(f.title)} at ${where(f, options)}: ${escapeCell(f.message)}`,
        )
        .join('\n')}`,
    );
  }
  return parts.join('\n\n');
}

function renderFindingTable(findings: Finding[], options: CommentOptions): string {
  const rows = findings.map(
    (f) =>
      `| ${icon(f)} | \`${f.check}/${f.rule}\` | ${where(f, options) || '—'} | ${escapeCell(f.message)} |`,
  );
  return ['### Other findings', '', '| | Rule | Where | Details |', '|---|---|---|---|', ...rows].join('\n');
}

function renderFooter(report: Report): string {
  const facts = [
    `config: ${report.configFile ? `\`${report.configFile}\` (from the base branch)` : 'defaults (no `.tollgate.yml`)'}`,
    report.environments?.length
      ? `environments: ${report.environments.map((e) => `\`${e}\``).join(', ')}`
      : '',
    report.policy
      ? `policies: ${report.policy.source === 'shipped' ? `${report.policy.policies} shipped by Tollgate` : report.policy.source === 'repository' ? `${report.policy.policies} from the repository` : 'none'}`
      : '',
    `${report.filesChecked} changed YAML file${report.filesChecked === 1 ? '' : 's'} parsed`,
  ].filter(Boolean);
  return `<sub>Tollgate · ${facts.join(' · ')}</sub>`;
}

/**
 * The sticky MR comment: verdict first, then (when failing) a checklist in plain words, then the
 * findings grouped by policy and by route rule, the other findings, and the manifest diff (given
 * whatever room is left). Pure: the same report renders the same text on GitHub and GitLab, so an
 * unchanged result is never re-posted.
 */
export function formatComment(report: Report, options: CommentOptions = {}): string {
  const budget = options.budget ?? COMMENT_BUDGET;
  const blocking = report.findings.filter((f) => f.blocking);
  const warnings = report.findings.length - blocking.length;
  const sha = report.target.headSha.slice(0, 12);
  const parts: string[] = [REPORT_MARKER];
  if (report.verdict === 'pass') {
    parts.push(
      '## ✅ Tollgate: checks passed',
      `Commit \`${sha}\`: nothing blocks the merge${warnings ? ` (${warnings} note${warnings === 1 ? '' : 's'} below)` : ''}.`,
    );
  } else {
    parts.push(
      '## ⛔ Tollgate: merge blocked',
      `Commit \`${sha}\`: ${blocking.length} problem${blocking.length === 1 ? '' : 's'} must be fixed before this can merge. ` +
        'Push a fix and this comment updates itself; a maintainer may instead record an override with `/tollgate override CHECK reason`.',
      renderChecklist(blocking, options),
    );
  }
  for (const [check, title] of Object.entries(GROUPED_CHECKS)) {
    const group = report.findings.filter((f) => f.check === check);
    if (group.length) parts.push(renderGroupedSection(title, group, options));
  }
  const others = report.findings.filter((f) => !(f.check in GROUPED_CHECKS));
  if (others.length) parts.push(renderFindingTable(others, options));
  const footer = renderFooter(report);
  let body = parts.join('\n\n');
  const truncation =
    '\n\n… (truncated: run `tollgate check` locally, or open the check run, for the full report)';
  if (body.length + footer.length + 4 > budget) {
    body = body.slice(0, Math.max(0, budget - footer.length - truncation.length - 4)) + truncation;
  } else if (report.diff) {
    const room = budget - body.length - footer.length - 4;
    if (room > 500) body += `\n\n${formatDiffMarkdown(report.diff, { budget: room, headingLevel: 3 })}`;
  }
  return `${body}\n\n${footer}`;
}
