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
  it('opens with the verdict and a checklist, then groups policy findings by rule with links', () => {
    const report = buildReport(
      target,
      [policy('Deployment/cafe/tea', true), policy('Deployment/cafe/coffee', false)],
      1,
    );
    const body = formatComment(report, { linkTo: (file, line) => `https://git.example/${file}#L${line}` });
    expect(body.startsWith(`${REPORT_MARKER}\n\n## ⛔ Tollgate: merge blocked`)).toBe(true);
    expect(body).toContain(
      '- [ ] **Deployment/cafe/tea violates policy no-latest/pinned** at [`envs/prod/tea.yaml:12`](https://git.example/envs/prod/tea.yaml#L12) (env `production`) — Pin the image.',
    );
    const section = body.slice(body.indexOf('### Policies'));
    expect(section.match(/\*\*`no-latest\/pinned`\*\*/g)).toHaveLength(1);
    expect(section).toContain('- ⛔ `Deployment/cafe/tea`');
    expect(section).toContain('- ⚠️ `Deployment/cafe/coffee`');
    expect(section).toContain('use a pinned tag \\| not latest');
  });

  it('says the check passed, and never links into Tollgate-shipped policy files', () => {
    const shipped = {
      ...policy('Deployment/cafe/coffee', false),
      location: { file: 'tollgate:policies/x.yaml', line: 3 },
    };
    const body = formatComment(buildReport(target, [shipped], 0), { linkTo: () => 'https://git.example/x' });
    expect(body).toContain('## ✅ Tollgate: checks passed');
    expect(body).toContain('(1 note below)');
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
