import type { Finding } from '../findings/finding.ts';
import type { DriftReport, EnvironmentDiff } from './manifest-diff.ts';

function where(diffs: readonly EnvironmentDiff[], environment: string, id: string) {
  const [kind, ...rest] = id.split('/');
  const name = rest.at(-1);
  const r = diffs
    .find((d) => d.environment === environment)
    ?.resources.find((x) => x.kind === kind && x.name === name);
  return r ? { file: r.file, line: r.line } : undefined;
}

/**
 * Drift between environments as findings like any other (severity, location, blocking when
 * `.tollgate.yml` lists `drift` in `blocking`), so every format carries it: text, JSON, SARIF,
 * JUnit, Code Quality. Only drift of objects this change touches: a difference that was there
 * before and that the change leaves alone is not this change's business.
 */
export function driftToFindings(
  drift: DriftReport,
  diffs: readonly EnvironmentDiff[],
  options: { blocking: boolean },
): Finding[] {
  const findings: Finding[] = [];
  const severity = options.blocking ? 'error' : 'warning';
  for (const u of drift.unmatchedChanges) {
    const location = u.file ? { file: u.file, ...(u.line ? { line: u.line } : {}) } : undefined;
    const what =
      u.paths[0] === '*'
        ? `${u.id} is new in ${u.environment} and absent from ${u.comparedTo}`
        : `${u.id} changed ${u.paths.join(', ')} in ${u.environment}, and ${u.comparedTo} does not have the new value`;
    findings.push({
      check: 'drift',
      rule: 'unmatched-change',
      severity,
      blocking: options.blocking,
      title: `${u.environment} changed without the same change in ${u.comparedTo}`,
      message: `${what}: the promotion path skips ${u.comparedTo}.`,
      remedy: `Make the same change in ${u.comparedTo} first (or in the shared base), or allow the path in \`drift.allow\` if they differ on purpose.`,
      ...(location ? { location } : {}),
      environment: u.environment,
      objects: [u.id],
    });
  }
  for (const m of drift.missing) {
    if (!m.touched) continue;
    const env = m.presentIn.at(-1)!;
    const location = where(diffs, env, m.id);
    findings.push({
      check: 'drift',
      rule: 'missing-in-environment',
      severity,
      blocking: options.blocking,
      title: `${m.id} is missing from ${m.missingFrom.join(', ')}`,
      message: `${m.id} is in ${m.presentIn.join(', ')} and missing from ${m.missingFrom.join(', ')}.`,
      remedy: `Add it to ${m.missingFrom.join(', ')} too, or keep it on purpose (drift does not block unless configured).`,
      ...(location ? { location } : {}),
      environment: m.missingFrom.join(', '),
      objects: [m.id],
    });
  }
  for (const d of drift.differences) {
    if (!d.touched) continue;
    const [a, b] = d.between;
    const location = where(diffs, b, d.id) ?? where(diffs, a, d.id);
    const show = (v: unknown) => (v === undefined ? 'absent' : typeof v === 'string' ? v : JSON.stringify(v));
    findings.push({
      check: 'drift',
      rule: 'environment-difference',
      severity: 'notice',
      blocking: false,
      title: `${d.id} differs between ${a} and ${b}`,
      message: d.fields
        .slice(0, 10)
        .map((f) => `${f.path}: ${a} ${show(f.before)}, ${b} ${show(f.after)}`)
        .join('; '),
      remedy: 'Intended? Then allow the path in `.tollgate.yml` `drift.allow`.',
      ...(location ? { location } : {}),
      environment: b,
      objects: [d.id],
    });
  }
  return findings;
}
