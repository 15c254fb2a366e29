import { formatDiffMarkdown } from '../diff/format-diff-markdown.ts';
import type { Finding } from '../findings/finding.ts';
import { formatLocation } from '../findings/format-location.ts';
import { dropNamespace, type FindingGroup, groupFindingsByCause } from './group-findings-by-cause.ts';
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
  /** The check's details page (full report, full diff, drift, locks, audit trail, deployments). */
  detailsUrl?: string;
}

function escapeInline(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/</g, '&lt;');
}

function icon(f: Finding): string {
  return f.blocking ? '⛔' : f.severity === 'warning' || f.severity === 'error' ? '⚠️' : 'ℹ️';
}

function link(finding: Finding, options: CommentOptions): string {
  const label = formatLocation(finding.location);
  if (!label) return '';
  // Shipped policies (tollgate:...) and pseudo-files such as (repository archive) have no page to link to.
  const url = /^(tollgate:|\()/.test(finding.location!.file)
    ? undefined
    : options.linkTo?.(finding.location!.file, finding.location!.line);
  return url ? `[\`${label}\`](${url})` : `\`${label}\``;
}

/** The group's one-line name: the finding's title, namespaces dropped when it spans environments. */
function headline(group: FindingGroup): string {
  let title = group.finding.title;
  if (group.finding.alreadyOn) title = title.replace(` (already on ${group.finding.alreadyOn})`, '');
  if (group.environments.length > 1)
    for (const id of group.finding.objects ?? []) title = title.split(id).join(dropNamespace(id));
  return escapeInline(title);
}

/**
 * What to do, and why. A policy's fix is its author's message (the explanation itself); other
 * checks explain (namespaces dropped when the cause spans environments), then say the fix.
 */
function explain(group: FindingGroup): string {
  const f = group.finding;
  if (f.check === 'policy' && f.remedy) return f.remedy;
  const at = formatLocation(f.location);
  let why = at && f.message.startsWith(`${at}: `) ? f.message.slice(at.length + 2) : f.message;
  if (group.environments.length > 1)
    for (const ns of new Set(
      (f.objects ?? [])
        .map((id) => id.split('/'))
        .filter((p) => p.length === 3)
        .map((p) => p[1]!),
    ))
      why = why.split(`/${ns}/`).join('/');
  return f.remedy && f.remedy !== why ? `${why} → ${f.remedy}` : why;
}

/**
 * One line per cause: what, which objects, where (linked), in which environments, whether it is
 * already on the base branch; then the fix on its own line (for a policy: its author's message).
 */
function renderItem(group: FindingGroup, options: CommentOptions): string {
  const f = group.finding;
  const title = headline(group);
  const objects = group.objects.filter((o) => !title.includes(o));
  const facts = [
    objects.length ? objects.map((o) => `\`${o}\``).join(', ') : '',
    link(f, options),
    group.environments.join(', '),
    f.alreadyOn ? `**already on \`${f.alreadyOn}\`**` : '',
  ].filter(Boolean);
  return `- ${icon(f)} **${title}** · ${facts.join(' · ')}\n  ${escapeInline(explain(group))}`;
}

function plural(n: number, word: string, words = `${word}s`): string {
  return `${n} ${n === 1 ? word : words}`;
}

/** The counts first, like argocd-diff-preview's "Added (1) / Modified (1)" and Kyverno's pass/fail. */
function renderCounts(report: Report, groups: FindingGroup[]): string {
  const facts: string[] = [];
  const envs = report.diff?.environments ?? [];
  if (envs.length) {
    const sum = (k: 'added' | 'changed' | 'removed') => envs.reduce((n, e) => n + e.counts[k], 0);
    facts.push(
      `**Manifests** Added (${sum('added')}) · Modified (${sum('changed')}) · Removed (${sum('removed')}) in ${plural(envs.length, 'environment')}`,
    );
  }
  if (report.policy?.passed !== undefined && report.policy.policies > 0)
    facts.push(`**Policies** ${report.policy.passed} passed, ${report.policy.failed ?? 0} failed`);
  const blocking = groups.filter((g) => g.finding.blocking).length;
  facts.push(`**Findings** ${blocking} blocking, ${groups.length - blocking} not blocking`);
  return facts.join(' · ');
}

/** Drift is in the findings above (items per cause); the diff section shows the objects only. */
function withoutDrift(diff: NonNullable<Report['diff']>): NonNullable<Report['diff']> {
  const { drift: _drift, ...rest } = diff;
  return rest;
}

function diffSummary(report: Report): string {
  const envs = (report.diff?.environments ?? []).map((e) => {
    const parts = [
      e.counts.added ? `${e.counts.added} added` : '',
      e.counts.changed ? `${e.counts.changed} changed` : '',
      e.counts.removed ? `${e.counts.removed} removed` : '',
    ].filter(Boolean);
    return `${e.environment}: ${parts.join(', ') || 'no change'}`;
  });
  return envs.join(' · ');
}

function renderFooter(report: Report, options: CommentOptions): string {
  const facts = [
    `config: ${report.configFile ? `\`${report.configFile}\` (from the base branch)` : 'defaults (no `.tollgate.yml`)'}`,
    report.environments?.length
      ? `environments: ${report.environments.map((e) => `\`${e}\``).join(', ')}`
      : '',
    report.policy
      ? `policies: ${report.policy.source === 'shipped' ? `${report.policy.policies} shipped by Tollgate` : report.policy.source === 'repository' ? `${report.policy.policies} from the repository` : 'none'}`
      : '',
    `${report.filesChecked} changed YAML file${report.filesChecked === 1 ? '' : 's'} parsed`,
    options.detailsUrl ? `[full report](${options.detailsUrl})` : '',
  ].filter(Boolean);
  return `<sub>Tollgate · ${facts.join(' · ')}</sub>`;
}

/**
 * The sticky MR comment, for a reviewer's ten seconds: the verdict and the counts, then what blocks
 * the merge, one item per cause (environments on one line, the policy's own message as the fix),
 * then everything else collapsed: the findings that do not block and the manifest diff (given
 * whatever room is left). Each finding's engine detail is in the check run and on the details page. No task-list checkboxes: they do nothing and
 * are overwritten on the next update. Pure: the same report renders the same text on GitHub and
 * GitLab, so an unchanged result is never re-posted.
 */
export function formatComment(report: Report, options: CommentOptions = {}): string {
  const budget = options.budget ?? COMMENT_BUDGET;
  const groups = groupFindingsByCause(report.findings);
  const blocking = groups.filter((g) => g.finding.blocking);
  const others = groups.filter((g) => !g.finding.blocking);
  const sha = report.target.headSha.slice(0, 12);
  const parts: string[] = [REPORT_MARKER];
  parts.push(
    report.verdict === 'pass' ? '## ✅ Tollgate: checks passed' : '## ⛔ Tollgate: merge blocked',
    `Commit \`${sha}\` · ${renderCounts(report, groups)}`,
  );
  if (report.rulesChanged?.length) {
    parts.push(
      `> [!NOTE]\n> This change edits Tollgate's rules (${report.rulesChanged.map((f) => `\`${f}\``).join(', ')}): they were validated here, and take effect after merge. This review was judged by the base branch's rules.`,
    );
  }
  if (blocking.length) {
    parts.push(
      `### What blocks the merge (${blocking.length})\n\n${blocking.map((g) => renderItem(g, options)).join('\n')}`,
      'Push a fix and this comment updates itself; a maintainer may instead record an override with `/tollgate override CHECK reason`.',
    );
  }
  if (others.length) {
    const existing = others.filter((g) => g.finding.alreadyOn).length;
    const summary = `${plural(others.length, 'finding')} that do${others.length === 1 ? 'es' : ''} not block${existing ? ` (${existing} already on \`${others.find((g) => g.finding.alreadyOn)!.finding.alreadyOn}\`)` : ''}`;
    parts.push(
      `<details><summary>${summary}</summary>\n\n${others.map((g) => renderItem(g, options)).join('\n')}\n\n</details>`,
    );
  }
  const footer = renderFooter(report, options);
  let body = parts.join('\n\n');
  const truncation =
    '\n\n… (truncated: run `tollgate check` locally, or open the check run, for the full report)';
  if (body.length + footer.length + 4 > budget) {
    body = body.slice(0, Math.max(0, budget - footer.length - truncation.length - 4)) + truncation;
  } else if (report.diff?.environments.some((e) => e.resources.length > 0)) {
    const open = `<details><summary><b>Manifest diff</b> · ${escapeInline(diffSummary(report))}</summary>\n\n`;
    const close = '\n\n</details>';
    const room = budget - body.length - footer.length - open.length - close.length - 4;
    if (room > 500)
      body += `\n\n${open}${formatDiffMarkdown(withoutDrift(report.diff), { budget: room, headingLevel: 3, bare: true }).trim()}${close}`;
  }
  return `${body}\n\n${footer}`;
}
