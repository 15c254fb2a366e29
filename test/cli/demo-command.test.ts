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
    // Policies per environment (production needs replicas and an APM agent), a dead route, broken YAML.
    expect(out).toContain('`Deployment/cafe-production/tea` at `app/base/tea.yaml:7` (env `production`)');
    expect(out).toContain('require-apm-agent/require-apm-agent');
    expect(out).toContain('`HTTPRoute/cafe-staging/coffee`, `HTTPRoute/cafe-staging/tea`');
    expect(out).toContain('`yaml/yaml-syntax` | `docs/menu.yaml:2`');
    // The header-split rule of the tea route is not a conflict.
    expect(out.match(/duplicate-match/g)).toHaveLength(1);
    // The diff, and production changed without staging.
    expect(out).toContain('| production | 2 | 1 | 0 | 4 |');
    expect(out).toContain('**production changed without the same change in staging**');
  }, 30_000);
});
