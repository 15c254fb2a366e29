import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/core/findings/finding.ts';
import { formatComment, REPORT_MARKER } from '../../../src/core/report/format-comment.ts';
import { buildReport } from '../../../src/core/report/report.ts';

const target = { baseSha: 'a'.repeat(40), headSha: 'c0ffee'.padEnd(40, '0'), baseRef: 'main' };

const policy = (object: string, blocking: boolean): Finding => ({
  check: 'policy',
  rule: 'no-latest/pinned',
  severity: blocking ? 'error' : 'warning',
  blocking,
  title: `${object} violates policy no-latest/pinned`,
  message: 'use a pinned tag | not latest',
  remedy: 'Pin the image.',
  location: { file: 'envs/prod/tea.yaml', line: 12 },
  environment: 'production',
  objects: [object],
});

describe('formatComment', () => {
  it('opens with the verdict and the counts, then one item per cause with its link and fix', () => {
    const report = buildReport(
      target,
      [policy('Deployment/cafe/tea', true), policy('Deployment/cafe/coffee', false)],
      1,
    );
    const body = formatComment(report, { linkTo: (file, line) => `https://git.example/${file}#L${line}` });
    expect(body.startsWith(`${REPORT_MARKER}\n\n## ⛔ Tollgate: merge blocked`)).toBe(true);
    expect(body).toContain('· **Findings** 1 blocking, 1 not blocking');
    expect(body).toContain(
      '- ⛔ **Deployment/cafe/tea violates policy no-latest/pinned** · [`envs/prod/tea.yaml:12`](https://git.example/envs/prod/tea.yaml#L12) · production\n  Pin the image.',
    );
    // What does not block is collapsed, below what does.
    const collapsed = body.slice(body.indexOf('<details><summary>1 finding that does not block'));
    expect(collapsed).toContain('- ⚠️ **Deployment/cafe/coffee violates policy no-latest/pinned**');
    expect(body.indexOf('### What blocks the merge (1)')).toBeLessThan(body.indexOf('does not block'));
    expect(body).not.toContain('- [ ]');
  });

  it('says a cause once for all environments, the policy message as the fix, already-on-main labelled', () => {
    const inEnv = (environment: string, namespace: string, extra: Partial<Finding> = {}): Finding => ({
      ...policy(`Deployment/${namespace}/tea`, true),
      title: `Deployment/${namespace}/tea violates policy require-probes`,
      remedy: 'Container tea needs a livenessProbe and a readinessProbe.',
      location: { file: 'app/base/tea.yaml', line: 15 },
      environment,
      ...extra,
    });
    const existing: Partial<Finding> = {
      blocking: false,
      severity: 'warning',
      alreadyOn: 'main',
      title: 'Deployment/cafe-dev/tea violates policy require-probes (already on main)',
      location: { file: 'app/base/old.yaml', line: 3 },
    };
    const body = formatComment(
      buildReport(
        target,
        [
          inEnv('staging', 'cafe-staging'),
          inEnv('production', 'cafe-production'),
          inEnv('dev', 'cafe-dev', existing),
        ],
        1,
      ),
    );
    expect(body.match(/violates policy require-probes\*\*/g)).toHaveLength(2);
    expect(body).toContain(
      '- ⛔ **Deployment/tea violates policy require-probes** · `app/base/tea.yaml:15` · staging, production\n  Container tea needs a livenessProbe and a readinessProbe.',
    );
    expect(body).toContain('1 finding that does not block (1 already on `main`)');
    expect(body).toContain('· dev · **already on `main`**');
    expect(body).not.toContain('(already on main)**');
  });

  it('says the check passed, and never links into Tollgate-shipped policy files', () => {
    const shipped = {
      ...policy('Deployment/cafe/coffee', false),
      location: { file: 'tollgate:policies/x.yaml', line: 3 },
    };
    const body = formatComment(buildReport(target, [shipped], 0), { linkTo: () => 'https://git.example/x' });
    expect(body).toContain('## ✅ Tollgate: checks passed');
    expect(body).toContain('**Findings** 0 blocking, 1 not blocking');
    expect(body).not.toContain('https://git.example/x');
  });

  it('stays within its budget', () => {
    const many = Array.from({ length: 2000 }, (_, i) => policy(`Deployment/cafe/app-${i}`, true));
    const body = formatComment(buildReport(target, many, 1), { budget: 10_000 });
    expect(body.length).toBeLessThanOrEqual(10_000);
    expect(body).toContain('truncated: run `tollgate check` locally');
    expect(body).toContain('<sub>Tollgate ·');
  });
});
