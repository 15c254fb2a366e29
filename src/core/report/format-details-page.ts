import type { EnvironmentLock } from '../chatops/find-lock-findings.ts';
import type { Finding } from '../findings/finding.ts';
import { formatLocation } from '../findings/format-location.ts';
import type { Report } from './report.ts';

/** One chat-ops action as the details page lists it (the audit record, without its routing fields). */
export interface AuditEntry {
  at: string;
  actor: string;
  action: string;
  environment?: string;
  outcome: string;
  detail: string;
  links?: string[];
}

export interface DetailsPageInput {
  project: string;
  sha: string;
  number?: number;
  checkedAt: string;
  report: Report;
  locks: readonly EnvironmentLock[];
  audit: readonly AuditEntry[];
  /** Link to a file and line at the checked commit. */
  linkTo?: (file: string, line: number | undefined) => string | undefined;
}

/** Every text that reaches the page goes through here: repository content is hostile. */
export function escapeHtml(value: unknown): string {
  return String(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Only http(s) links become anchors (a `javascript:` URL stays text). */
function anchor(url: string | undefined, text: string): string {
  return url && /^https?:\/\//i.test(url)
    ? `<a href="${escapeHtml(url)}">${escapeHtml(text)}</a>`
    : escapeHtml(text);
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1f2328}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #d0d7de;padding-bottom:.3rem}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #d0d7de;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f6f8fa}.fail{color:#cf222e}.pass{color:#1a7f37}.muted{color:#59636e}
pre{background:#f6f8fa;padding:.75rem;overflow:auto;font-size:12px}code{font-size:12px}
.del{color:#cf222e}.add{color:#1a7f37}details{margin:.25rem 0}summary{cursor:pointer}`;

function icon(f: Finding): string {
  return f.blocking ? '⛔' : f.severity === 'notice' ? 'ℹ️' : '⚠️';
}

function findingsTable(input: DetailsPageInput): string {
  const { findings } = input.report;
  if (findings.length === 0) return '<p class="pass">No findings.</p>';
  const rows = findings.map((f) => {
    const at = formatLocation(f.location);
    const link = at ? anchor(input.linkTo?.(f.location!.file, f.location!.line), at) : '—';
    return `<tr><td>${icon(f)} ${f.blocking ? 'blocking' : escapeHtml(f.severity)}</td><td><code>${escapeHtml(`${f.check}/${f.rule}`)}</code></td><td>${escapeHtml(f.environment ?? '—')}</td><td>${link}</td><td><b>${escapeHtml(f.title)}</b><br>${escapeHtml(f.message)}${f.remedy ? `<br><span class="muted">Fix: ${escapeHtml(f.remedy)}</span>` : ''}${f.alreadyOn ? `<br><b>already on ${escapeHtml(f.alreadyOn)}</b>` : ''}</td></tr>`;
  });
  return `<table><thead><tr><th>Level</th><th>Rule</th><th>Env</th><th>Where</th><th>What and how to fix it</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function diffLines(diff: string): string {
  return diff
    .split('\n')
    .map((l) => {
      const cls = l.startsWith('+') ? 'add' : l.startsWith('-') ? 'del' : '';
      return cls ? `<span class="${cls}">${escapeHtml(l)}</span>` : escapeHtml(l);
    })
    .join('\n');
}

function diffSection(report: Report): string {
  const envs = report.diff?.environments ?? [];
  if (envs.length === 0) return '<p class="muted">No environments were rendered.</p>';
  const counts = `<table><thead><tr><th>Environment</th><th>Added</th><th>Changed</th><th>Removed</th><th>Unchanged</th></tr></thead><tbody>${envs
    .map(
      (e) =>
        `<tr><td>${escapeHtml(e.environment)}</td><td>${e.counts.added}</td><td>${e.counts.changed}</td><td>${e.counts.removed}</td><td>${e.counts.unchanged}</td></tr>`,
    )
    .join('')}</tbody></table>`;
  const blocks = envs.flatMap((e) =>
    e.resources.map(
      (r) =>
        `<details><summary><b>${escapeHtml(r.change)}</b> <code>${escapeHtml(r.id)}</code> in ${escapeHtml(e.environment)} · <code>${escapeHtml(`${r.file}:${r.line}`)}</code></summary><pre>${diffLines(r.unifiedDiff || '(no YAML change)')}</pre></details>`,
    ),
  );
  return counts + blocks.join('');
}

function driftSection(report: Report): string {
  const drift = report.diff?.drift;
  if (!drift) return '<p class="muted">Fewer than two environments: no drift to compare.</p>';
  const rows = [
    ...drift.unmatchedChanges.map(
      (u) =>
        `<tr><td>${escapeHtml(`${u.environment} changed without ${u.comparedTo}`)}</td><td><code>${escapeHtml(u.id)}</code></td><td>${escapeHtml(u.paths.join(', '))}</td></tr>`,
    ),
    ...drift.missing.map(
      (m) =>
        `<tr><td>missing from ${escapeHtml(m.missingFrom.join(', '))}</td><td><code>${escapeHtml(m.id)}</code></td><td>in ${escapeHtml(m.presentIn.join(', '))}</td></tr>`,
    ),
    ...drift.differences.map(
      (d) =>
        `<tr><td>${escapeHtml(`${d.between[0]} ≠ ${d.between[1]}`)}</td><td><code>${escapeHtml(d.id)}</code></td><td>${d.fields
          .map(
            (f) =>
              `<code>${escapeHtml(f.path)}</code>: ${escapeHtml(JSON.stringify(f.before) ?? 'absent')} → ${escapeHtml(JSON.stringify(f.after) ?? 'absent')}`,
          )
          .join('<br>')}</td></tr>`,
    ),
  ];
  if (rows.length === 0) return '<p class="pass">The environments agree beyond the allow-list.</p>';
  return `<table><thead><tr><th>Drift</th><th>Object</th><th>Fields</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function locksSection(locks: readonly EnvironmentLock[]): string {
  if (locks.length === 0) return '<p class="muted">No environment is locked.</p>';
  return `<table><thead><tr><th>Environment</th><th>Locked by</th><th>Since</th><th>Reason</th></tr></thead><tbody>${locks
    .map(
      (l) =>
        `<tr><td>${escapeHtml(l.environment)}</td><td>@${escapeHtml(l.lockedBy)}</td><td>${escapeHtml(l.lockedAt)}</td><td>${anchor(l.source, l.reason ?? '—')}</td></tr>`,
    )
    .join('')}</tbody></table>`;
}

function auditTable(entries: readonly AuditEntry[], empty: string): string {
  if (entries.length === 0) return `<p class="muted">${escapeHtml(empty)}</p>`;
  return `<table><thead><tr><th>When</th><th>Who</th><th>What</th><th>Env</th><th>Outcome</th><th>Detail</th></tr></thead><tbody>${entries
    .map(
      (a) =>
        `<tr><td>${escapeHtml(a.at)}</td><td>@${escapeHtml(a.actor)}</td><td>${escapeHtml(a.action)}</td><td>${escapeHtml(a.environment ?? '—')}</td><td>${escapeHtml(a.outcome)}</td><td>${escapeHtml(a.detail)}${(a.links ?? []).map((l) => `<br>${anchor(l, l)}`).join('')}</td></tr>`,
    )
    .join('')}</tbody></table>`;
}

/**
 * The details page of one check, as plain server-rendered HTML: the verdict, every finding with
 * its engine detail, the full manifest diff, the full drift, the environment locks, the chat-ops
 * audit trail and the rollbacks it recorded. Pure; every value is escaped; no script.
 */
export function formatDetailsPage(input: DetailsPageInput): string {
  const { report } = input;
  const blocking = report.findings.filter((f) => f.blocking).length;
  const verdict =
    report.verdict === 'pass'
      ? '<p class="pass"><b>✅ Checks passed</b></p>'
      : `<p class="fail"><b>⛔ Merge blocked</b>: ${blocking} blocking finding${blocking === 1 ? '' : 's'}</p>`;
  const rollbacks = input.audit.filter((a) => a.action === 'rollback');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>Tollgate · ${escapeHtml(input.project)} · ${escapeHtml(input.sha.slice(0, 12))}</title>
<style>${STYLE}</style></head><body>
<h1>Tollgate · ${escapeHtml(input.project)}${input.number !== undefined ? ` · #${input.number}` : ''}</h1>
<p class="muted">Commit <code>${escapeHtml(input.sha)}</code> · checked ${escapeHtml(input.checkedAt)} · ${report.filesChecked} changed YAML file${report.filesChecked === 1 ? '' : 's'} parsed${report.policy ? ` · ${report.policy.policies} polic${report.policy.policies === 1 ? 'y' : 'ies'} (${escapeHtml(report.policy.source)})` : ''}</p>
${verdict}
<h2 id="findings">Findings (${report.findings.length})</h2>
${findingsTable(input)}
<h2 id="diff">Manifest diff</h2>
${diffSection(report)}
<h2 id="drift">Drift between environments</h2>
${driftSection(report)}
<h2 id="locks">Environment locks</h2>
${locksSection(input.locks)}
<h2 id="audit">Chat-ops audit trail</h2>
${auditTable(input.audit, 'No chat-ops command has changed anything in this project yet.')}
<h2 id="deployments">Deployment history (rollbacks recorded by chat-ops)</h2>
${auditTable(rollbacks, 'No rollback has been recorded.')}
</body></html>
`;
}
