import { describe, expect, it } from 'vitest';
import {
  allowedCommands,
  decidePermission,
  roleFromGitHub,
  roleFromGitLab,
} from '../../../src/core/chatops/decide-permission.ts';
import { findLockFindings } from '../../../src/core/chatops/find-lock-findings.ts';
import { chooseRollbackTarget, listFirstParentCommits } from '../../../src/core/chatops/rollback-plan.ts';

describe('permissions', () => {
  it('maps platform roles onto one ladder and applies defaults and overrides', () => {
    expect(roleFromGitHub('maintain', 'write')).toBe('maintain');
    expect(roleFromGitHub('custom-deployer', 'write')).toBe('write');
    expect(roleFromGitLab(40)).toBe('maintain');
    expect(roleFromGitLab(30)).toBe('write');
    expect(decidePermission('rollback', 'write')).toMatchObject({ allowed: false, required: 'maintain' });
    expect(decidePermission('recheck', 'write').allowed).toBe(true);
    expect(decidePermission('rollback', 'write', { rollback: 'write' }).allowed).toBe(true);
    expect(allowedCommands('none')).toEqual(['help']);
  });
});

describe('findLockFindings', () => {
  it('blocks a change that touches a locked environment, naming who and why', () => {
    const locks = [
      { environment: 'production', lockedBy: 'alice', reason: 'INC-42', lockedAt: '2024-05-01T10:00:00Z' },
      { environment: 'staging', lockedBy: 'bob', lockedAt: '2024-05-01T10:00:00Z' },
    ];
    const findings = findLockFindings(locks, ['production', 'dev']);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ check: 'lock', blocking: true, environment: 'production' });
    expect(findings[0]!.message).toContain('@alice');
    expect(findings[0]!.message).toContain('INC-42');
    expect(findLockFindings(locks, [])).toEqual([]);
  });
});

describe('rollback targets', () => {
  const d = (id: number, sha: string) => ({ id, sha, environment: 'production', at: '2024-01-01T00:00:00Z' });
  it('goes back to the newest earlier deployment of a different commit', () => {
    const choice = chooseRollbackTarget('production', [
      d(3, 'c'.repeat(40)),
      d(2, 'c'.repeat(40)),
      d(1, 'a'.repeat(40)),
    ]);
    expect(choice).toMatchObject({ ok: true, to: { sha: 'a'.repeat(40) } });
    expect(chooseRollbackTarget('production', [])).toMatchObject({ ok: false });
    expect(
      chooseRollbackTarget('production', [d(3, 'c'.repeat(40))], { kind: 'sha', sha: 'ccccccc' }),
    ).toMatchObject({
      ok: false,
    });
    expect(
      chooseRollbackTarget('production', [d(3, 'c'.repeat(40)), d(1, 'a'.repeat(40))], {
        kind: 'number',
        value: '1',
      }),
    ).toMatchObject({ ok: true, to: { deployment: { id: 1 } } });
  });

  it('walks the first-parent line and refuses a target that is not behind', () => {
    const commits = [
      { sha: 'm2', title: 'Merge !2', parents: ['m1', 'f2'] },
      { sha: 'f2', title: 'feature 2', parents: ['m1'] },
      { sha: 'm1', title: 'Merge !1', parents: ['base', 'f1'] },
      { sha: 'f1', title: 'feature 1', parents: ['base'] },
    ];
    expect(listFirstParentCommits(commits, 'm2', 'base')).toEqual({
      ok: true,
      commits: [commits[0], commits[2]],
    });
    expect(listFirstParentCommits(commits, 'm2', 'elsewhere')).toMatchObject({ ok: false });
  });
});
