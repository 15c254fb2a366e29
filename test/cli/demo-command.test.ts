import { describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/cli-io.ts';
import { runCli } from '../../src/cli/main.ts';

describe('tollgate demo', () => {
  it('checks the example merge request and blocks it, with every kind of finding and the diff', async () => {
    let out = '';
    let err = '';
    const io: CliIO = {
      stdout: (t) => (out += t),
      stderr: (t) => (err += t),
      cwd: process.cwd(),
      env: { PATH: process.env.PATH },
    };
    expect(await runCli(['demo'], io)).toBe(1);
    expect(err).toMatch(/running: tollgate check --repo \S+ --base main --head feature/);
    expect(out).toContain('## ⛔ Tollgate: merge blocked');
    // Counts first, then one item per cause: the environments on one line, the policy's message as the fix.
    expect(out).toMatch(
      /Commit `\w{12}` · \*\*Manifests\*\* Added \(4\) · Modified \(1\) · Removed \(0\) in 2 environments · \*\*Policies\*\* \d+ passed, 7 failed/,
    );
    expect(out).toContain(
      '- ⛔ **Deployment/tea violates policy require-probes** · `app/base/tea.yaml:15` · staging, production\n  Container tea needs a livenessProbe and a readinessProbe.',
    );
    expect(out).toContain('Deployment tea runs in production and needs at least 2 replicas.');
    expect(out).not.toContain('require-probes/require-probes');
    expect(out).not.toContain('Change the manifest so that it satisfies the policy');
    expect(out).not.toContain('- [ ]');
    expect(out).toContain(
      '- ⛔ **Identical route matches: only one receives traffic** · `HTTPRoute/coffee`, `HTTPRoute/tea`',
    );
    expect(out).toContain('**YAML syntax error in docs/menu.yaml** · `docs/menu.yaml:2`');
    // The header-split rule of the tea route is not a conflict: one item for the one duplicate.
    expect(out.match(/Identical route matches/g)).toHaveLength(1);
    // The diff, collapsed, and production changed without staging.
    expect(out).toContain(
      '<details><summary><b>Manifest diff</b> · staging: 2 added · production: 2 added, 1 changed</summary>',
    );
    expect(out).toContain('production changed without the same change in staging');
    // Short: the comment was 9,656 characters before one-item-per-cause.
    expect(out.length).toBeLessThan(7_500);
  }, 30_000);
});
