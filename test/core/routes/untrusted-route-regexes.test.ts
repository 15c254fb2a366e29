import { describe, expect, it } from 'vitest';
import { analyzeYaml, gateway, listener, prefixRule, route, service } from './route-test-helpers.ts';

const parent = '  - name: cafe';
const regexRule = (re: string, extra = '') =>
  `  - matches:\n    - path: {type: RegularExpression, value: '${re}'}\n${extra}    backendRefs:\n    - name: coffee\n      port: 80\n`;

function cafe(...routes: string[]) {
  return analyzeYaml(
    gateway('cafe', 'default', listener('http', 80, 'HTTP')),
    service('coffee', 'default'),
    ...routes,
  );
}

describe('route regexes from the head run on RE2', () => {
  it('a catastrophic path regex against a long Exact path completes (V8 backtracking took ~9 s at 28 characters)', () => {
    const findings = cafe(
      route({
        name: 'long',
        namespace: 'default',
        parentRefs: parent,
        hostnames: ['cafe.example.com'],
        rules: `  - matches:\n    - path: {type: Exact, value: /${'a'.repeat(60)}}\n    backendRefs:\n    - name: coffee\n      port: 80\n`,
      }),
      route({
        name: 'evil',
        namespace: 'default',
        parentRefs: parent,
        hostnames: ['cafe.example.com'],
        rules: regexRule(
          '/(a+)+b',
          `      headers:\n      - {name: x, type: RegularExpression, value: '(x+x+)+y'}\n`,
        ),
      }),
    );
    expect(findings.filter((f) => f.type === 'invalid-regex')).toEqual([]);
  });

  it('a pattern RE2 rejects (lookahead, backreference) is a blocking finding at its match', () => {
    const findings = cafe(
      route({
        name: 'bad',
        namespace: 'default',
        parentRefs: parent,
        hostnames: ['cafe.example.com'],
        rules:
          regexRule('/coffee(?=/v2)') +
          regexRule(
            '/tea',
            `      queryParams:\n      - {name: v, type: RegularExpression, value: '(a)\\1'}\n`,
          ),
      }),
      route({
        name: 'ok',
        namespace: 'default',
        parentRefs: parent,
        hostnames: ['cafe.example.com'],
        rules: prefixRule('/x'),
      }),
    );
    const invalid = findings.filter((f) => f.type === 'invalid-regex');
    expect(invalid.map((f) => [f.severity, f.objects, f.locations.length])).toEqual([
      ['error', ['HTTPRoute/default/bad'], 1],
      ['error', ['HTTPRoute/default/bad'], 1],
    ]);
    expect(invalid[0]!.message).toContain(
      'The path regular expression "/coffee(?=/v2)" (rule 1, match 1 of HTTPRoute/default/bad) is not a valid regular expression (RE2 syntax)',
    );
    expect(invalid[1]!.message).toContain('The query parameter v regular expression "(a)\\\\1" (rule 2');
  });
});
