import { describe, expect, it } from 'vitest';
import { bypassFinding, classifyPush } from '../../../src/core/branch/classify-push.ts';
import {
  type BranchProtectionSettings,
  diagnoseBranchProtection,
  planProtectionFixes,
} from '../../../src/core/branch/diagnose-branch-protection.ts';
import { formatBypassIssue } from '../../../src/core/branch/format-bypass-issue.ts';

const unprotected: BranchProtectionSettings = {
  platform: 'gitlab',
  project: 'ops/coffee',
  branch: 'main',
  branchExists: true,
  protected: false,
  directPushRestricted: false,
  requiredChecks: [],
  pipelineMustSucceed: false,
  forcePushAllowed: true,
  notes: [],
};

describe('diagnoseBranchProtection', () => {
  it('reports every missing safeguard with a fix and how to fix it', () => {
    const items = diagnoseBranchProtection(unprotected);
    expect(items.map((i) => [i.id, i.status])).toEqual([
      ['branch-exists', 'ok'],
      ['direct-push-restricted', 'missing'],
      ['check-required', 'missing'],
      ['force-push-disabled', 'missing'],
    ]);
    expect(items.filter((i) => i.status === 'missing').every((i) => i.howToFix)).toBe(true);
    expect(planProtectionFixes(items)).toEqual(['protect-branch', 'require-check']);
  });
  it('accepts "Pipelines must succeed" as the requirement on GitLab, not on GitHub', () => {
    const gitlab = diagnoseBranchProtection({ ...unprotected, pipelineMustSucceed: true });
    expect(gitlab.find((i) => i.id === 'check-required')!.status).toBe('ok');
    const github = diagnoseBranchProtection({
      ...unprotected,
      platform: 'github',
      pipelineMustSucceed: true,
    });
    expect(github.find((i) => i.id === 'check-required')!.status).toBe('missing');
  });
  it('warns when GitHub administrators are exempt', () => {
    const items = diagnoseBranchProtection({
      ...unprotected,
      platform: 'github',
      protected: true,
      directPushRestricted: true,
      adminsExempt: true,
      requiredChecks: ['tollgate'],
      forcePushAllowed: false,
    });
    expect(items.find((i) => i.id === 'direct-push-restricted')!.status).toBe('warning');
    expect(planProtectionFixes(items)).toEqual(['restrict-direct-push']);
  });
});

describe('classifyPush', () => {
  it('tells the gated path from every bypass', () => {
    const merged = { number: 7, headSha: 'h' };
    expect(
      classifyPush({ deleted: false, forced: false, mergedChangeRequest: merged, headCheckState: 'success' }),
    ).toBeUndefined();
    expect(
      classifyPush({ deleted: false, forced: false, mergedChangeRequest: merged, headCheckState: 'failure' }),
    ).toBe('merged-while-failing');
    expect(classifyPush({ deleted: false, forced: false, mergedChangeRequest: merged })).toBe(
      'merged-while-failing',
    );
    expect(classifyPush({ deleted: false, forced: false })).toBe('direct-push');
    expect(
      classifyPush({ deleted: false, forced: true, mergedChangeRequest: merged, headCheckState: 'success' }),
    ).toBe('force-push');
    expect(classifyPush({ deleted: true, forced: false })).toBe('branch-deleted');
  });
  it('renders an issue naming commits, pusher and findings behind a stable marker', () => {
    const finding = bypassFinding('direct-push', 'main', { pusher: 'octocat' });
    const { title, body } = formatBypassIssue({
      kind: 'direct-push',
      branch: 'main',
      beforeSha: 'a'.repeat(40),
      afterSha: 'b'.repeat(40),
      pusher: 'octocat',
      commits: [{ sha: 'b'.repeat(40), title: 'bump | coffee', author: 'octocat' }],
      findings: [{ ...finding, rule: 'yaml-syntax', check: 'yaml', location: { file: 'x.yaml', line: 3 } }],
    });
    expect(title).toBe('Pushed to main without a merge request (bbbbbbbbbbbb)');
    expect(body.startsWith(`<!-- tollgate:bypass:main:${'b'.repeat(40)} -->`)).toBe(true);
    expect(body).toContain('octocat');
    expect(body).toContain('bump \\| coffee');
    expect(body).toContain('x.yaml:3');
  });
});
