import type { Finding } from '../findings/finding.ts';
import type { CheckOverride } from './check-override.ts';

/**
 * `/tollgate override CHECK reason` on the record: the blocking findings of that check, on that
 * head commit, stop blocking; they stay in the report, marked with who overrode them and why.
 * An override given for an older head does not carry over to new commits.
 */
export function applyOverrides(
  findings: readonly Finding[],
  overrides: readonly CheckOverride[],
  headSha: string,
): Finding[] {
  const byCheck = new Map(overrides.filter((o) => o.headSha === headSha).map((o) => [o.check, o]));
  return findings.map((f) => {
    const override = byCheck.get(f.check);
    if (!override || !f.blocking) return f;
    return {
      ...f,
      blocking: false,
      title: `${f.title} (overridden by @${override.by})`,
      remedy: `Overridden by @${override.by} on ${override.at}: ${override.reason}${override.source ? ` (${override.source})` : ''}`,
    };
  });
}
