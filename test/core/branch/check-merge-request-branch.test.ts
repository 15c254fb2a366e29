import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { checkMergeRequestBranch } from '../../../src/core/branch/check-merge-request-branch.ts';
import { checkPromotion } from '../../../src/core/branch/check-promotion.ts';
import { checkSourceBranchName } from '../../../src/core/branch/check-source-branch-name.ts';
import { checkTargetBranch } from '../../../src/core/branch/check-target-branch.ts';
import { checkUpToDate } from '../../../src/core/branch/check-up-to-date.ts';
import { normalizeImage } from '../../../src/core/branch/list-workload-images.ts';
import { parseManifests } from '../../../src/core/manifests/parse-manifests.ts';

const fixture = (name: string) => {
  const path = `test/fixtures/branch/${name}`;
  return parseManifests(path, readFileSync(path, 'utf8')).manifests;
};

describe('checkTargetBranch', () => {
  it('blocks deployable changes that target another branch, naming the files', () => {
    const [f] = checkTargetBranch(
      { targetBranch: 'release-2', deployableFiles: ['envs/production/coffee.yaml'] },
      { protectedBranch: 'main' },
    );
    expect(f).toMatchObject({
      rule: 'target-branch',
      blocking: true,
      location: { file: 'envs/production/coffee.yaml' },
    });
    expect(f!.message).toContain('release-2');
  });
  it('accepts the protected branch, and other targets without deployable changes', () => {
    expect(
      checkTargetBranch({ targetBranch: 'main', deployableFiles: ['a.yaml'] }, { protectedBranch: 'main' }),
    ).toEqual([]);
    expect(
      checkTargetBranch({ targetBranch: 'docs', deployableFiles: [] }, { protectedBranch: 'main' }),
    ).toEqual([]);
  });
});

describe('checkSourceBranchName', () => {
  it('is off by default and applies the pattern when set', () => {
    expect(checkSourceBranchName('whatever', {})).toEqual([]);
    expect(checkSourceBranchName('feature/coffee', { sourceBranchPattern: '^feature/' })).toEqual([]);
    expect(checkSourceBranchName('hotfix', { sourceBranchPattern: '^feature/' })[0]).toMatchObject({
      rule: 'source-branch-name',
      blocking: true,
    });
  });
  it('turns an invalid pattern into a config finding instead of throwing', () => {
    expect(checkSourceBranchName('x', { sourceBranchPattern: '(' })[0]).toMatchObject({
      check: 'config',
      blocking: true,
    });
  });
});

describe('checkUpToDate', () => {
  it('warns when behind at all by default', () => {
    expect(checkUpToDate({ behindBy: 2, targetBranch: 'main' }, {})[0]).toMatchObject({
      severity: 'warning',
      blocking: false,
    });
    expect(checkUpToDate({ behindBy: 0, targetBranch: 'main' }, {})).toEqual([]);
    expect(checkUpToDate({ behindBy: undefined, targetBranch: 'main' }, {})).toEqual([]);
  });
  it('fails only beyond maxBehind', () => {
    expect(checkUpToDate({ behindBy: 5, targetBranch: 'main' }, { maxBehind: 5 })).toEqual([]);
    expect(checkUpToDate({ behindBy: 6, targetBranch: 'main' }, { maxBehind: 5 })[0]).toMatchObject({
      blocking: true,
    });
  });
});

describe('checkPromotion', () => {
  it('blocks images that production starts using before staging runs them, with file and line', () => {
    const findings = checkPromotion(
      fixture('staging.yaml'),
      fixture('production-base.yaml'),
      fixture('production-head.yaml'),
    );
    const images = findings.map((f) => f.title.split(' ')[0]).sort();
    // coffee:1.5.0 runs in staging; busybox matches after normalisation; tea:3.2.0 and beans-report:2.1.0 do not.
    expect(images).toEqual(['registry.example.com/beans-report:2.1.0', 'registry.example.com/tea:3.2.0']);
    const tea = findings.find((f) => f.title.includes('tea'))!;
    expect(tea.location).toEqual({ file: 'test/fixtures/branch/production-head.yaml', line: 25 });
    expect(tea.objects).toEqual(['Deployment/production/tea']);
    const cron = findings.find((f) => f.title.includes('beans'))!;
    expect(cron.objects).toEqual(['CronJob/production/beans-report']);
  });
  it('lets images already in production stay without staging', () => {
    expect(checkPromotion([], fixture('production-base.yaml'), fixture('production-base.yaml'))).toEqual([]);
  });
  it('normalises Docker Hub references and implicit latest', () => {
    expect(normalizeImage('nginx')).toEqual({ name: 'nginx', tag: 'latest' });
    expect(normalizeImage('docker.io/library/nginx:1.27')).toEqual({ name: 'nginx', tag: '1.27' });
    expect(normalizeImage('registry:5000/team/app@sha256:abc')).toEqual({
      name: 'registry:5000/team/app',
      digest: 'sha256:abc',
    });
  });
});

describe('checkMergeRequestBranch with the shipped example options', () => {
  const options = parse(readFileSync('test/fixtures/branch/tollgate.yml', 'utf8')).branch;
  it('combines every rule', () => {
    const findings = checkMergeRequestBranch(
      {
        sourceBranch: 'hotfix-prod',
        targetBranch: 'production',
        deployableFiles: ['envs/production/tea.yaml'],
        behindBy: 12,
        promotion: {
          staging: fixture('staging.yaml'),
          productionBase: fixture('production-base.yaml'),
          productionHead: fixture('production-head.yaml'),
        },
      },
      options,
    );
    expect(findings.map((f) => f.rule).sort()).toEqual([
      'promotion',
      'promotion',
      'source-branch-name',
      'target-branch',
      'up-to-date',
    ]);
    expect(findings.every((f) => f.blocking)).toBe(true);
  });
  it('with defaults only the target branch and a behind warning apply', () => {
    const findings = checkMergeRequestBranch({
      sourceBranch: 'anything',
      targetBranch: 'main',
      deployableFiles: ['a.yaml'],
      behindBy: 1,
      promotion: { staging: [], productionBase: [], productionHead: fixture('production-head.yaml') },
    });
    expect(findings.map((f) => [f.rule, f.blocking])).toEqual([['up-to-date', false]]);
  });
});
