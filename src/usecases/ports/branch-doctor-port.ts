import type {
  BranchProtectionSettings,
  ProtectionFix,
} from '../../core/branch/diagnose-branch-protection.ts';

/** Reads (and, with an admin token, changes) the settings that protect one branch. */
export interface BranchDoctorPort {
  readonly platform: 'github' | 'gitlab';
  readonly project: string;
  readBranchProtection(branch: string): Promise<BranchProtectionSettings>;
  /**
   * Applies the fixes with exactly the write endpoints they need, after `readBranchProtection`
   * of the same branch (existing settings are kept). Returns what changed, in plain words.
   */
  applyProtectionFixes(branch: string, fixes: readonly ProtectionFix[], checkName: string): Promise<string[]>;
}
