import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/cli/cli-io.ts';
import { runCli } from '../../src/cli/main.ts';

// Policies that cannot be evaluated on any resource, all matching only Deployments: the change adds a
// Service, so none of them is ever run. Kyverno refuses such policies; the check must not pass them.
const policy = (name: string, validate: string) => `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: ${name}
spec:
  validationFailureAction: Enforce
  rules:
    - name: rule
      match:
        any:
          - resources:
              kinds: [Deployment]
      validate:
        message: no
${validate}`;

const repo = mkdtempSync(join(tmpdir(), 'tollgate-invalid-policy-'));
const git = (...args: string[]) =>
  execFileSync('git', ['-C', repo, '-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], {
    encoding: 'utf8',
  });
const write = (path: string, text: string) => {
  mkdirSync(dirname(join(repo, path)), { recursive: true });
  writeFileSync(join(repo, path), text);
};
const deny = (key: string, operator: string) =>
  `        deny:\n          conditions:\n            any:\n              - key: "${key}"\n                operator: ${operator}\n                value: tea\n`;

git('init', '-q', '-b', 'main');
write('deploy/coffee.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: coffee\n');
write('policies/pattern.yaml', policy('string-pattern', '        pattern: "just a string"\n'));
write(
  'policies/jmespath.yaml',
  policy('broken-jmespath', deny('{{ request.object.metadata.name | [ }}', 'Equals')),
);
write(
  'policies/operator.yaml',
  policy('unknown-operator', deny('{{ request.object.metadata.name }}', 'Frobnicates')),
);
write(
  'policies/fine.yaml',
  policy('fine', deny("{{ divide('{{ request.object.spec.replicas }}', '2') }}", 'GreaterThan')),
);
git('add', '.');
git('commit', '-qm', 'base');
git('checkout', '-qb', 'change');
write('deploy/tea.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: tea\n');
git('add', '.');
git('commit', '-qm', 'change');

function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: repo, env: {} };
  return runCli(args, io).then((code) => ({ code, stdout, stderr }));
}

afterAll(() => rmSync(repo, { recursive: true, force: true }));

describe('tollgate check with a policy that cannot be evaluated', () => {
  it('blocks, naming each policy file and line, and keeps the valid policy', async () => {
    const { code, stdout } = await run(['check', '--base', 'main', '--head', 'change', '--format', 'json']);
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.verdict).toBe('fail');
    const invalid = report.findings.filter((f: { rule: string }) => f.rule === 'invalid-policy');
    expect(invalid.map((f: { location: unknown; blocking: boolean }) => [f.location, f.blocking])).toEqual([
      [{ file: 'policies/jmespath.yaml', line: 18 }, true],
      [{ file: 'policies/operator.yaml', line: 19 }, true],
      [{ file: 'policies/pattern.yaml', line: 15 }, true],
    ]);
    const messages = invalid.map((f: { message: string }) => f.message).join('\n');
    expect(messages).toContain('`spec.rules[0].validate.pattern` must be an object');
    expect(messages).toContain(
      '`spec.rules[0].validate.deny.conditions.any[0].key` has a variable that does not compile',
    );
    expect(messages).toContain('unknown operator "Frobnicates"');
    expect(messages).not.toContain('fine.yaml');
  });
});
