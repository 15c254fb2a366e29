import { describe, expect, it } from 'vitest';
import { checkSourceBranchName } from '../../../src/core/branch/check-source-branch-name.ts';
import { parseTollgateConfig } from '../../../src/core/config/parse-tollgate-config.ts';
import { evaluateCelRule } from '../../../src/core/policy/cel/evaluate-cel-rule.ts';
import { evaluateJmespath } from '../../../src/core/policy/evaluate-jmespath.ts';
import { matchWildcard } from '../../../src/core/policy/match-wildcard.ts';
import { parseGoTime } from '../../../src/core/policy/parse-go-time.ts';
import { renderKustomization } from '../../../src/core/render/render-kustomization.ts';

const A = 'a'.repeat(40);

describe('regular expressions from policies and configuration run in linear time', () => {
  it('Kyverno regex functions: a catastrophic pattern completes; Go replacement syntax; an invalid pattern errors', () => {
    expect(evaluateJmespath(`regex_match('(a+)+b', '${A}')`, {})).toBe(false);
    expect(evaluateJmespath(`regex_match('(?i)^COFFEE$', 'coffee')`, {})).toBe(true);
    expect(evaluateJmespath(`regex_replace_all('(a+)+b', '${A}', 'x')`, {})).toBe(A);
    expect(evaluateJmespath(`regex_replace_all('v([0-9]+)', 'tea:v12', '$\{1}-$$')`, {})).toBe('tea:12-$');
    expect(evaluateJmespath(`regex_replace_all_literal('v[0-9]+', 'tea:v12', '$1')`, {})).toBe('tea:$1');
    expect(() => evaluateJmespath(`regex_match('(?=x)', 'x')`, {})).toThrow(
      /regex_match: .* is not a valid regular expression/,
    );
  });

  it('Kyverno wildcards: many stars against a long near-miss complete, `?` is one character (rune)', () => {
    expect(matchWildcard('*a*a*a*a*a*a*a*a*a*a*b', A)).toBe(false);
    expect(matchWildcard('*a*a*b', `${A}b`)).toBe(true);
    expect(matchWildcard('te?', 'tea')).toBe(true);
    expect(matchWildcard('caf?', 'café')).toBe(true);
    expect(matchWildcard('a*', '')).toBe(false);
    expect(matchWildcard('*', '')).toBe(true);
    expect(matchWildcard('a.b', 'axb')).toBe(false);
  });

  it('CEL matches/find/findAll: a catastrophic pattern completes; an invalid one errors, never passes', () => {
    const rule = (expression: string) => ({
      name: 'r',
      validate: { cel: { expressions: [{ expression, message: 'no' }] } },
    });
    const context = { object: { metadata: { name: A } }, oldObject: null, operation: 'CREATE' as const };
    expect(evaluateCelRule(rule("!object.metadata.name.matches('(a+)+b')"), context).status).toBe('pass');
    expect(evaluateCelRule(rule("object.metadata.name.find('(a+)+b') == ''"), context).status).toBe('pass');
    expect(
      evaluateCelRule(rule("object.metadata.name.findAll('a{10}', 2).size() == 2"), context).status,
    ).toBe('pass');
    const invalid = evaluateCelRule(rule("object.metadata.name.matches('(?=a)')"), context);
    expect(invalid.status).not.toBe('pass');
    expect(JSON.stringify(invalid)).toContain('invalid regular expression \\"(?=a)');
  });

  it('Go time layouts from a policy (`time_parse`) compile to a linear-time pattern', () => {
    expect(() => parseGoTime(`x${'1'.repeat(40)}`, `x${'1'.repeat(79)}y`)).toThrow(/cannot parse/);
  });

  it('branch.sourceBranchPattern: RE2, checked when the config is read, and linear when matched', () => {
    expect(checkSourceBranchName(`feature/${A}`, { sourceBranchPattern: '^feature/(a+)+b$' })).toHaveLength(
      1,
    );
    const { findings } = parseTollgateConfig('branch:\n  sourceBranchPattern: "^(?!main)"\n');
    expect(findings.map((f) => f.message)).toEqual([
      expect.stringContaining(
        '.tollgate.yml:2: `branch.sourceBranchPattern`: is not a valid regular expression (RE2 syntax)',
      ),
    ]);
  });

  it('kustomize patch targets: a catastrophic name regex completes; an invalid one is a finding with its line', () => {
    const files = new Map([
      [
        'kustomization.yaml',
        [
          'resources: [app.yaml]',
          'patches:',
          '  - target: {kind: ConfigMap, name: "(a+)+b"}',
          '    patch: "[{op: add, path: /data/x, value: y}]"',
          '  - target:',
          '      kind: ConfigMap',
          '      name: "(?=a)"',
          '    patch: "[{op: add, path: /data/x, value: y}]"',
          '',
        ].join('\n'),
      ],
      ['app.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${A}\ndata: {}\n`],
    ]);
    const { findings, manifests } = renderKustomization(files, '');
    // A target that selects nothing is no finding (kustomize is silent about it too).
    expect(findings.map((f) => [f.location?.line, f.message])).toEqual([
      [7, expect.stringContaining('`patches[1].target.name` is not a valid regular expression (RE2 syntax)')],
    ]);
    expect(manifests[0]!.object.data).toEqual({});
  });
});
