import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/core/findings/finding.ts';
import { nameRule, policyOwnMessage } from '../../../src/core/policy/policy-results-to-findings.ts';
import { formatText } from '../../../src/core/report/format-text.ts';
import { groupFindingsByCause } from '../../../src/core/report/group-findings-by-cause.ts';
import { buildReport } from '../../../src/core/report/report.ts';

const finding = (environment: string, namespace: string, line = 15): Finding => ({
  check: 'policy',
  rule: 'require-probes/require-probes',
  severity: 'error',
  blocking: true,
  title: `Deployment/${namespace}/tea violates policy require-probes`,
  message: 'Container tea needs probes. (denied by conditions)',
  remedy: 'Container tea needs probes.',
  location: { file: 'app/base/tea.yaml', line },
  environment,
  objects: [`Deployment/${namespace}/tea`],
});

describe('groupFindingsByCause', () => {
  it('joins the environments of one cause and keeps different places apart', () => {
    const groups = groupFindingsByCause([
      finding('staging', 'cafe-staging'),
      finding('production', 'cafe-production'),
      finding('production', 'cafe-production', 30),
    ]);
    expect(groups.map((g) => [g.environments, g.objects, g.findings.length])).toEqual([
      [['staging', 'production'], ['Deployment/tea'], 2],
      [['production'], ['Deployment/cafe-production/tea'], 1],
    ]);
  });
});

describe('policy messages as the fix', () => {
  it("keeps the author's words and drops the engine's detail", () => {
    expect(policyOwnMessage('Needs 2 replicas. (value 1 does not match ">=2" at path /spec/replicas/)')).toBe(
      'Needs 2 replicas.',
    );
    expect(policyOwnMessage('Needs probes. (denied by conditions)')).toBe('Needs probes.');
    expect(policyOwnMessage('Use a team label (see the wiki)')).toBe('Use a team label (see the wiki)');
    expect(nameRule('require-probes', 'require-probes')).toBe('require-probes');
    expect(nameRule('require-replicas', 'production-min')).toBe('require-replicas/production-min');
  });
});

describe('already on main, in the text report', () => {
  it('says so on the line', () => {
    const existing = { ...finding('staging', 'cafe-staging'), blocking: false, alreadyOn: 'main' };
    expect(formatText(buildReport({ headSha: 'c'.repeat(40) }, [existing], 1))).toContain(
      'Container tea needs probes. (denied by conditions) (already on main, not introduced by this change)',
    );
  });
});
