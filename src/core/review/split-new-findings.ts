import type { Finding } from '../findings/finding.ts';

/** Identity of a finding across two renders: same check, rule, environment and objects. */
export function findingKey(f: Finding): string {
  return [f.check, f.rule, f.environment ?? '', [...(f.objects ?? [])].sort().join(',')].join('|');
}

/**
 * A merge request is judged on what it changes: a finding already present at the base is kept in
 * the report as existing, but no longer blocks (it is not this change's doing); a new one keeps
 * its severity. Findings without objects cannot be matched and count as new.
 */
export function splitNewFindings(
  head: readonly Finding[],
  base: readonly Finding[],
  baseLabel: string,
): Finding[] {
  const existing = new Set(base.filter((f) => f.objects?.length).map(findingKey));
  return head.map((f) =>
    f.objects?.length && existing.has(findingKey(f))
      ? {
          ...f,
          blocking: false,
          severity: f.severity === 'error' ? 'warning' : f.severity,
          title: `${f.title} (already on ${baseLabel})`,
          alreadyOn: baseLabel,
          remedy: `Not introduced by this change: it is already on ${baseLabel}. Fix it in a change of its own.`,
        }
      : f,
  );
}
