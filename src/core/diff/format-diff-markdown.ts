import type {
  DriftReport,
  EnvironmentDiff,
  FieldChange,
  ManifestDiffReport,
  ResourceDiff,
} from './manifest-diff.ts';

export interface DiffMarkdownOptions {
  /** Maximum characters of the section (a GitHub comment holds 65,536 in all). */
  budget?: number;
  /** Heading level of the section title (default 3). */
  headingLevel?: number;
  /** Leave out the title and the count table (the comment shows the counts at its top). */
  bare?: boolean;
}

export const DEFAULT_DIFF_BUDGET = 40_000;
const MAX_FIELDS_REDUCED = 15;

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Inline code that survives backticks inside (and never breaks a table). */
function code(text: string): string {
  const clean = text.replace(/\n/g, '⏎').replace(/\|/g, '\\|');
  const fence = clean.includes('`') ? '``' : '`';
  return `${fence}${fence.length > 1 ? ' ' : ''}${clean}${fence.length > 1 ? ' ' : ''}${fence}`;
}

function formatValue(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return code(text.length > 120 ? `${text.slice(0, 117)}…` : text);
}

function formatField(f: FieldChange): string {
  if (f.change === 'added') return `- ${code(f.path)}: added ${formatValue(f.after)}`;
  if (f.change === 'removed') return `- ${code(f.path)}: removed (was ${formatValue(f.before)})`;
  return `- ${code(f.path)}: ${formatValue(f.before)} → ${formatValue(f.after)}`;
}

function fenced(body: string, lang: string): string {
  const longest = Math.max(2, ...(body.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${lang}\n${body}\n${fence}`;
}

/** One collapsible block at three sizes: full, without the YAML diff, summary only. */
interface Block {
  levels: string[];
  level: number;
}

function localCommand(report: ManifestDiffReport, environment: string): string {
  const base = report.base.ref ?? report.base.sha ?? '<base>';
  const head = report.head.ref ?? report.head.sha ?? '<head>';
  return `tollgate diff --base ${base} --head ${head} --env ${environment}`;
}

/** `mutated by policy add-labels: fields metadata.labels.foo` (one line per policy). */
function mutationNote(r: ResourceDiff): string {
  if (!r.mutatedBy?.length) return '';
  const lines = r.mutatedBy.map((m) => {
    const shown = m.fields.slice(0, 8).map(code).join(', ');
    const more = m.fields.length > 8 ? `, … ${m.fields.length - 8} more` : '';
    return `- _mutated by policy ${code(m.policy)}: fields ${shown}${more}_`;
  });
  return `${lines.join('\n')}\n\n`;
}

function generatedList(env: EnvironmentDiff): string {
  if (!env.generated?.length) return '';
  const lines = env.generated.map(
    (g) => `- ${code(g.id)}, by policy ${code(g.policy)} for ${code(g.trigger)}`,
  );
  return `Objects the policies would generate:\n\n${lines.join('\n')}\n\n`;
}

function resourceBlock(r: ResourceDiff, note: string): Block {
  const count =
    r.change === 'changed' ? ` (${r.fields.length} field${r.fields.length === 1 ? '' : 's'})` : '';
  const mutated = mutationNote(r);
  const summary = `<details><summary><b>${r.change}</b> <code>${escapeHtml(r.id)}</code>${count} · <code>${escapeHtml(`${r.file}:${r.line}`)}</code>${mutated ? ' · mutated by policy' : ''}</summary>\n\n${mutated}`;
  const fields = r.fields.map(formatField);
  const fieldText = fields.length ? `${fields.join('\n')}\n\n` : '';
  const reducedFields =
    fields.length > MAX_FIELDS_REDUCED
      ? `${fields.slice(0, MAX_FIELDS_REDUCED).join('\n')}\n- … ${fields.length - MAX_FIELDS_REDUCED} more\n\n`
      : fieldText;
  const diff = r.unifiedDiff ? `${fenced(r.unifiedDiff, 'diff')}\n\n` : '';
  return {
    levels: [
      `${summary}${fieldText}${diff}</details>\n`,
      `${summary}${reducedFields}_${note}_\n\n</details>\n`,
      `- <b>${r.change}</b> <code>${escapeHtml(r.id)}</code>${count}${mutated ? ` (mutated by policy ${r.mutatedBy!.map((m) => code(m.policy)).join(', ')})` : ''} — _${note}_\n`,
    ],
    level: 0,
  };
}

function summaryTable(envs: readonly EnvironmentDiff[]): string {
  const rows = envs.map(
    (e) =>
      `| ${e.environment} | ${e.counts.added} | ${e.counts.changed} | ${e.counts.removed} | ${e.counts.unchanged} |`,
  );
  return `| Environment | Added | Changed | Removed | Unchanged |\n|---|---:|---:|---:|---:|\n${rows.join('\n')}\n`;
}

function driftHeader(drift: DriftReport): string {
  const lines: string[] = [];
  for (const u of drift.unmatchedChanges) {
    const what =
      u.paths[0] === '*'
        ? 'was added'
        : `changed ${u.paths.slice(0, 5).map(code).join(', ')}${u.paths.length > 5 ? ', …' : ''}`;
    lines.push(
      `> [!WARNING]\n> **${u.environment} changed without the same change in ${u.comparedTo}**: ${code(u.id)} ${what}.\n`,
    );
  }
  if (drift.missing.length) {
    lines.push('Objects not in every environment:\n');
    for (const m of drift.missing)
      lines.push(`- ${code(m.id)}: in ${m.presentIn.join(', ')}; missing from ${m.missingFrom.join(', ')}`);
    lines.push('');
  }
  return lines.join('\n');
}

function driftBlock(d: DriftReport['differences'][number], note: string): Block {
  const [a, b] = d.between;
  const summary = `<details><summary><code>${escapeHtml(d.id)}</code>: ${d.fields.length === 1 ? '1 field differs' : `${d.fields.length} fields differ`} between ${escapeHtml(a)} and ${escapeHtml(b)}</summary>\n\n`;
  const lines = d.fields.map(
    (f) =>
      `- ${code(f.path)}: ${a} ${f.before === undefined ? '_absent_' : formatValue(f.before)} · ${b} ${f.after === undefined ? '_absent_' : formatValue(f.after)}`,
  );
  return {
    levels: [
      `${summary}${lines.join('\n')}\n\n</details>\n`,
      `${summary}${lines.slice(0, MAX_FIELDS_REDUCED).join('\n')}\n- … _${note}_\n\n</details>\n`,
      `- ${code(d.id)}: ${d.fields.length} fields differ between ${a} and ${b} — _${note}_\n`,
    ],
    level: 0,
  };
}

/**
 * The manifest diff as a markdown section for the merge request comment: a summary table
 * (environment × added/changed/removed/unchanged), drift call-outs, then one collapsed block per
 * object with its field changes and a unified YAML diff. Kept within `budget` characters: the
 * largest blocks are shrunk first (YAML diff dropped, then fields), with a note on how to see the
 * full diff locally. Pure.
 */
export function formatDiffMarkdown(report: ManifestDiffReport, options: DiffMarkdownOptions = {}): string {
  const budget = options.budget ?? DEFAULT_DIFF_BUDGET;
  const h = '#'.repeat(options.headingLevel ?? 3);
  const parts: (string | Block)[] = options.bare
    ? []
    : [`${h} Manifest diff\n\n`, summaryTable(report.environments), '\n'];
  if (
    report.drift &&
    (report.drift.unmatchedChanges.length || report.drift.missing.length || report.drift.differences.length)
  ) {
    parts.push(`${h}# Differences between environments\n\n`, driftHeader(report.drift), '\n');
    const note = `truncated to fit the comment; run \`${localCommand(report, report.drift.environments.join(','))}\` locally to see all`;
    for (const d of report.drift.differences) parts.push(driftBlock(d, note));
    parts.push('\n');
  }
  for (const env of report.environments) {
    if (env.resources.length === 0 && !env.generated?.length) continue;
    parts.push(`${h}# ${env.environment}\n\n`);
    const note = `diff truncated to fit the comment: run \`${localCommand(report, env.environment)}\` locally to see the full diff`;
    for (const r of env.resources) parts.push(resourceBlock(r, note));
    parts.push(generatedList(env), '\n');
  }
  return fitToBudget(parts, budget);
}

function fitToBudget(parts: (string | Block)[], budget: number): string {
  const size = (p: string | Block) => (typeof p === 'string' ? p.length : p.levels[p.level]!.length);
  let total = parts.reduce((n, p) => n + size(p), 0);
  const blocks = parts.filter((p): p is Block => typeof p !== 'string');
  while (total > budget) {
    let largest: Block | undefined;
    for (const b of blocks) if (b.level < 2 && (!largest || size(b) > size(largest))) largest = b;
    if (!largest) break;
    total -= size(largest);
    largest.level++;
    total += size(largest);
  }
  let dropped = 0;
  const out: string[] = [];
  let used = 0;
  const reserve = 120;
  for (const p of parts) {
    const text = typeof p === 'string' ? p : p.levels[p.level]!;
    if (total > budget && typeof p !== 'string' && used + text.length > budget - reserve) {
      dropped++;
      continue;
    }
    out.push(text);
    used += text.length;
  }
  if (dropped > 0)
    out.push(
      `\n_…and ${dropped} more object${dropped === 1 ? '' : 's'} not shown: the diff is too large for a comment._\n`,
    );
  return out.join('').replace(/\n{3,}/g, '\n\n');
}
