import type { Finding } from '../findings/finding.ts';

/** Findings with one cause: the same rule at the same place with the same fix, in one or more environments. */
export interface FindingGroup {
  /** The first finding of the group (the others differ only in environment and namespace). */
  finding: Finding;
  findings: Finding[];
  /** Environments in which it happens, in report order. */
  environments: string[];
  /** Objects involved, as `Kind/name` when the group spans environments (namespaces differ by design). */
  objects: string[];
}

/** `Kind/namespace/name` → `Kind/name`; `Kind/name` stays. */
export function dropNamespace(id: string): string {
  const parts = id.split('/');
  return parts.length === 3 ? `${parts[0]}/${parts[2]}` : id;
}

function causeKey(f: Finding): string {
  return [
    f.check,
    f.rule,
    f.blocking ? 'blocking' : f.severity,
    f.alreadyOn ?? '',
    f.location?.file ?? '',
    f.location?.line ?? '',
    [...new Set((f.objects ?? []).map(dropNamespace))].sort().join(','),
    f.remedy ?? f.message,
  ].join('|');
}

/**
 * One item per cause, not per environment: a base file breaking a policy in staging and production
 * is one thing to fix, so it is one line ("staging, production"). Order is kept (the report's
 * findings are sorted blocking first).
 */
export function groupFindingsByCause(findings: readonly Finding[]): FindingGroup[] {
  const groups = new Map<string, FindingGroup>();
  for (const f of findings) {
    const key = causeKey(f);
    const group = groups.get(key);
    if (!group) {
      groups.set(key, {
        finding: f,
        findings: [f],
        environments: f.environment ? [f.environment] : [],
        objects: [...(f.objects ?? [])],
      });
      continue;
    }
    group.findings.push(f);
    if (f.environment && !group.environments.includes(f.environment)) group.environments.push(f.environment);
  }
  for (const group of groups.values()) {
    if (group.environments.length > 1) group.objects = [...new Set(group.objects.map(dropNamespace))];
  }
  return [...groups.values()];
}
