import { describe, expect, it } from 'vitest';
import { renderAllEnvironments } from '../../src/adapters/render/render-environment.ts';
import { formatCheckSummary } from '../../src/core/report/format-check-summary.ts';
import { formatDetailsPage } from '../../src/core/report/format-details-page.ts';
import { formatReport, REPORT_FORMATS } from '../../src/core/report/format-report.ts';
import { reviewChange } from '../../src/usecases/review-change.ts';
import { changedBetween, memoryTree } from '../support/memory-tree.ts';

const PASSWORD = 'hunter2-Pa55word-x9';
const TOKEN = 'tok-Zx9-sekret-42';
const TOKEN_B64 = Buffer.from(TOKEN).toString('base64');
const PASSWORD_B64 = Buffer.from(PASSWORD).toString('base64');

// A pattern failure (the engine's `value "…" does not match` detail), a message that interpolates
// the raw stringData value, the base64 data value and its decoded form.
const SECRET_RULES = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: secret-rules
spec:
  validationFailureAction: Enforce
  rules:
    - name: strong-password
      match:
        any:
          - resources:
              kinds: [Secret]
      validate:
        message: "password {{request.object.stringData.password}} is weak"
        pattern:
          stringData:
            password: "*-strong"
    - name: no-token
      match:
        any:
          - resources:
              kinds: [Secret]
      validate:
        message: "token {{request.object.data.token}} decodes to {{ base64_decode(request.object.data.token) }}"
        deny:
          conditions:
            any:
              - key: "{{request.object.data.token}}"
                operator: NotEquals
                value: ""
`;

const SECRET = `apiVersion: v1
kind: Secret
metadata:
  name: db
  namespace: cafe
type: Opaque
stringData:
  password: ${PASSWORD}
data:
  token: ${TOKEN_B64}
`;

const CONFIG = `environments:
  - name: staging
    path: envs/staging
  - name: production
    path: envs/production
policies: [policies]
`;

describe('reviewChange with a Secret that violates policies', () => {
  it('never prints its values in any output format; the findings name the masked paths', async () => {
    const base = {
      '.tollgate.yml': CONFIG,
      'policies/secret-rules.yaml': SECRET_RULES,
      'envs/staging/.keep.yaml': '',
      'envs/production/.keep.yaml': '',
    };
    const head = { ...base, 'envs/production/secret.yaml': SECRET };
    const report = await reviewChange({
      target: { baseSha: 'b'.repeat(40), headSha: 'h'.repeat(40), baseRef: 'main', headRef: 'feature' },
      base: memoryTree('b'.repeat(40), base),
      head: memoryTree('h'.repeat(40), head),
      changedFiles: changedBetween(base, head),
      render: renderAllEnvironments,
    });
    const policy = report.findings.filter((f) => f.check === 'policy');
    expect(policy.map((f) => f.rule).sort()).toEqual([
      'secret-rules/no-token',
      'secret-rules/strong-password',
    ]);
    expect(report.verdict).toBe('fail');
    const text = (f: (typeof policy)[number]) => `${f.title}\n${f.message}\n${f.remedy ?? ''}`;
    expect(text(policy.find((f) => f.rule.endsWith('strong-password'))!)).toContain(
      '<masked: stringData.password>',
    );
    expect(text(policy.find((f) => f.rule.endsWith('no-token'))!)).toContain('<masked: data.token>');

    const outputs = [
      ...REPORT_FORMATS.map((format) => [format, formatReport(report, format)] as const),
      ['check summary', JSON.stringify(formatCheckSummary(report))] as const,
      [
        'details page',
        formatDetailsPage({
          project: 'cafe/app',
          sha: 'h'.repeat(40),
          checkedAt: '2026-12-04T20:00:00Z',
          report,
          locks: [],
          audit: [],
        }),
      ] as const,
    ];
    for (const [format, output] of outputs) {
      for (const value of [PASSWORD, PASSWORD_B64, TOKEN, TOKEN_B64]) {
        expect(output.includes(value), `${value} in ${format}`).toBe(false);
      }
    }
    // The comment still says which field failed.
    expect(formatReport(report, 'markdown')).toContain('stringData.password');
  });
});
