import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { runKyvernoTestFile } from '../../../src/cli/commands/test-command.ts';
import { runKyvernoTest } from '../../../src/core/policy/run-kyverno-test.ts';

const dir = new URL('../../fixtures/policy/kyverno-test/cafe/', import.meta.url);
const file = (name: string) => ({ path: name, content: readFileSync(new URL(name, dir), 'utf8') });

describe('kyverno test runner on real-world manifest variations', () => {
  it('reads values (global, rule, resource, namespaceSelector), userinfo and every result form', async () => {
    const report = await runKyvernoTestFile(new URL('.kyverno-test/kyverno-test.yaml', dir).pathname);
    expect(report.rows.map((r) => [r.policy, r.rule, r.resource, r.actual])).toEqual([
      ['require-apm-agent', 'pinpoint-agent-id', 'tea', 'fail'],
      ['require-apm-agent', 'pinpoint-agent-id', 'shop/coffee', 'pass'],
      ['staging/max-replicas', 'replicas', 'coffee', 'pass'],
      ['max-replicas', 'keep-replicas', 'tea', 'fail'],
      ['max-replicas', 'keep-replicas', 'coffee', 'excluded'],
      ['require-apm-agent', 'add-agent', 'tea', 'excluded'],
      ['cafe-vap', '', 'tea', 'not found'],
    ]);
    // Fail closed: a patchedResource that cannot be read and a policy that is not there fail the run.
    expect(report.ok).toBe(false);
    expect(report.rows.filter((r) => !r.ok).map((r) => r.resource + ':' + r.message)).toEqual([
      'tea:rule add-agent does not match tea; patchedResource patched.yaml could not be read',
      'tea:policy cafe-vap not found',
    ]);
    expect(report.findings.map((f) => f.message).join('\n')).toMatch(/cannot read patched.yaml/);
  });

  const base = () => ({
    testPath: 'kyverno-test.yaml',
    test: parseYaml(file('.kyverno-test/kyverno-test.yaml').content) as Record<string, unknown>,
    policyFiles: [file('cafe-policies.yaml')],
    resourceFiles: [file('.kyverno-test/resources.yaml')],
    valuesFile: file('.kyverno-test/values.yaml'),
  });

  it('excludes by cluster role when the userinfo grants it, and fails rows that disagree', () => {
    const admin = { path: 'user-info.yaml', content: 'clusterRoles: [cafe-admin]\n' };
    const report = runKyvernoTest({ ...base(), userInfoFile: admin });
    expect(report.rows[0]).toMatchObject({ resource: 'tea', actual: 'excluded', ok: true });
    const strict = runKyvernoTest({ ...base(), userInfoFile: admin, strict: true });
    expect(strict.ok).toBe(false);
  });

  it('without the rule values the staging limit applies, so the row fails', () => {
    const values = {
      path: 'values.yaml',
      content: 'namespaceSelector: [{name: staging, labels: {env: staging}}]\n',
    };
    const report = runKyvernoTest({ ...base(), valuesFile: values });
    expect(report.rows[2]).toMatchObject({ resource: 'coffee', expected: 'pass', actual: 'fail', ok: false });
    expect(report.ok).toBe(false);
  });

  it('accepts values inline in the Test (rule values, namespaceSelector)', () => {
    const test = base().test;
    test.values = {
      policies: [{ name: 'max-replicas', rules: [{ name: 'replicas', values: { maxReplicas: 1 } }] }],
    };
    test.results = [
      {
        policy: 'max-replicas',
        rule: 'replicas',
        kind: 'Deployment',
        resources: ['tea', 'coffee'],
        result: 'fail',
      },
    ];
    const { valuesFile: _unused, ...input } = base();
    const withoutSelector = runKyvernoTest({ ...input, test });
    // no namespaceSelector labels now: the rule does not match, both rows are excluded
    expect(withoutSelector.rows.map((r) => r.actual)).toEqual(['excluded', 'excluded']);
    test.values = {
      ...(test.values as Record<string, unknown>),
      namespaceSelector: [{ name: 'staging', labels: { env: 'staging' } }],
    };
    const report = runKyvernoTest({ ...input, test });
    expect(report.rows.map((r) => r.actual)).toEqual(['fail', 'fail']);
  });
});
