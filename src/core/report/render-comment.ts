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
  /** Extra sections (diff, policies, routes...) rendered by their own renderers, in order. */
  sections?: string[];
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function where(finding: Finding, options: CommentOptions): string {
  const label = formatLocation(finding.location);
  if (!label) return finding.environment ? `env ${finding.environment}` : '';
  const url = options.linkTo?.(finding.location!.file, finding.location!.line);
  const text = url ? `[\`${label}\`](${url})` : `\`${label}\``;
  return finding.environment ? `${text} (env ${finding.environment})` : text;
}

/** The plain-words checklist: what blocks the merge and what to do for each item. */
function renderChecklist(blocking: Finding[], options: CommentOptions): string {
  const lines = blocking.map((f) => {
    const at = where(f, options);
    const next = f.remedy ? ` — ${f.remedy}` : '';
    return `- [ ] **${escapeCell(f.title)}**${at ? ` at ${at}` : ''}${next}`;
  });
  return ['### What blocks the merge', '', ...lines].join('\n');
}

function renderFindingTable(findings: Finding[], options: CommentOptions): string {
  const rows = findings.map((f) => {
    const icon = f.blocking ? '⛔' : f.severity === 'warning' ? '⚠️' : 'ℹ️';
    return `| ${icon} | \`${f.check}/${f.rule}\` | ${where(f, options) || '—'} | ${escapeCell(f.message)} |`;
  });
  return ['| | Rule | Where | Details |', '|---|---|---|---|', ...rows].join('\n');
}

/**
 * The sticky MR comment: verdict first, then (when failing) a checklist in plain words, then every
 * finding, then the capability sections. Pure: the same report renders the same text on GitHub
 * and GitLab, so an unchanged result is never re-posted.
 */
export function renderComment(report: Report, options: CommentOptions = {}): string {
  const blocking = report.findings.filter((f) => f.blocking);
  const others = report.findings.filter((f) => !f.blocking);
  const sha = report.target.headSha.slice(0, 12);
  const parts: string[] = [REPORT_MARKER];
  if (report.verdict === 'pass') {
    parts.push(
      `## ✅ Tollgate: checks passed`,
      `Commit \`${sha}\`: nothing blocks the merge${others.length ? ` (${others.length} warning${others.length === 1 ? '' : 's'} below)` : ''}.`,
    );
  } else {
    parts.push(
      `## ⛔ Tollgate: merge blocked`,
      `Commit \`${sha}\`: ${blocking.length} problem${blocking.length === 1 ? '' : 's'} must be fixed before this can merge. ` +
        `Push a fix and this comment updates itself; a maintainer may instead record an override with \`/tollgate override CHECK reason\`.`,
      renderChecklist(blocking, options),
    );
  }
  if (report.findings.length > 0) {
    parts.push('### Findings', renderFindingTable(report.findings, options));
  }
  for (const section of options.sections ?? []) parts.push(section);
  parts.push(
    `<sub>Checked ${report.filesChecked} file${report.filesChecked === 1 ? '' : 's'} · Tollgate</sub>`,
  );
  let body = parts.join('\n\n');
  if (body.length > COMMENT_BUDGET) {
    const note = '\n\n… (truncated: run `tollgate check` locally or open the check run for the full report)';
    body = body.slice(0, COMMENT_BUDGET - note.length) + note;
  }
  return body;
}
