import { diagnoseBranchProtection, planProtectionFixes } from '../core/branch/diagnose-branch-protection.ts';
import type { DoctorReport } from '../core/branch/format-doctor-report.ts';
import type { BranchDoctorPort } from './ports/branch-doctor-port.ts';

export interface DoctorOptions {
  branch: string;
  /** The status check that must be required (default `tollgate`). */
  checkName?: string;
  /** Change what is missing (needs an admin / maintainer token). */
  apply?: boolean;
}

/**
 * `tollgate doctor` and `/tollgate doctor`: reads the branch's protection, says per safeguard
 * whether it is in place and how to fix it, and with `apply` fixes what it can.
 */
export async function runDoctor(port: BranchDoctorPort, options: DoctorOptions): Promise<DoctorReport> {
  const checkName = options.checkName ?? 'tollgate';
  const settings = await port.readBranchProtection(options.branch);
  let items = diagnoseBranchProtection(settings, checkName);
  let applied: string[] = [];
  if (options.apply && settings.branchExists) {
    const fixes = planProtectionFixes(items);
    if (fixes.length > 0) {
      applied = await port.applyProtectionFixes(options.branch, fixes, checkName);
      items = items.map((item) =>
        item.status !== 'ok' && item.fix && fixes.includes(item.fix)
          ? { ...item, status: 'ok' as const, detail: `Fixed by --apply (was: ${item.detail})` }
          : item,
      );
    }
  }
  return {
    platform: port.platform,
    project: port.project,
    branch: options.branch,
    items,
    applied,
    healthy: items.every((i) => i.status === 'ok'),
    notes: settings.notes,
  };
}
