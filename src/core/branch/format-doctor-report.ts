import type { DoctorItem } from './diagnose-branch-protection.ts';

export interface DoctorReport {
  platform: 'github' | 'gitlab';
  project: string;
  branch: string;
  items: DoctorItem[];
  /** What `--apply` changed, in plain words (empty when nothing was applied). */
  applied: string[];
  /** Every item is ok (after applying, when --apply ran). */
  healthy: boolean;
  notes: string[];
}

const ICON: Record<DoctorItem['status'], string> = { ok: '✅', missing: '❌', warning: '⚠️' };
const WORD: Record<DoctorItem['status'], string> = { ok: 'ok', missing: 'missing', warning: 'warning' };

/** Markdown for a comment (`/tollgate doctor`) or a terminal that renders it. */
export function formatDoctorMarkdown(report: DoctorReport): string {
  const lines = [
    `## Tollgate doctor: \`${report.project}\` branch \`${report.branch}\``,
    '',
    '| | Safeguard | State | How to fix |',
    '|---|---|---|---|',
    ...report.items.map(
      (i) =>
        `| ${ICON[i.status]} | ${i.title} | ${i.detail.replace(/\|/g, '\\|')} | ${(i.howToFix ?? '').replace(/\|/g, '\\|') || '—'} |`,
    ),
  ];
  if (report.applied.length) lines.push('', '**Changed:**', '', ...report.applied.map((a) => `- ${a}`));
  if (report.notes.length) lines.push('', ...report.notes.map((n) => `> ${n}`));
  lines.push('', report.healthy ? 'All safeguards are in place.' : 'Some safeguards are missing.');
  return lines.join('\n');
}

/** Plain text for the terminal: one line per item, then how to fix it. */
export function formatDoctorText(report: DoctorReport): string {
  const lines = [`tollgate doctor: ${report.platform} ${report.project}, branch ${report.branch}`, ''];
  for (const i of report.items) {
    lines.push(`  ${WORD[i.status].padEnd(7)}  ${i.title}: ${i.detail}`);
    if (i.status !== 'ok' && i.howToFix) lines.push(`           fix: ${i.howToFix}`);
  }
  if (report.applied.length) lines.push('', 'changed:', ...report.applied.map((a) => `  - ${a}`));
  if (report.notes.length) lines.push('', ...report.notes.map((n) => `note: ${n}`));
  lines.push(
    '',
    report.healthy
      ? 'all safeguards are in place'
      : 'some safeguards are missing (run with --apply and an admin token to fix them)',
  );
  return `${lines.join('\n')}\n`;
}
