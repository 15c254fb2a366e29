import { describe, expect, it } from 'vitest';
import {
  constraintsCompatible,
  regexLiteralPrefix,
  regexOverlapsPath,
} from '../../../src/core/routes/find-regex-path-overlaps.ts';
import { normalizeHttpMatch } from '../../../src/core/routes/normalize-route-match.ts';
import {
  analyzeYaml,
  gateway,
  listener,
  prefixRule,
  route,
  service,
  summarize,
} from './route-test-helpers.ts';

describe('regex helpers', () => {
  it.each([
    ['/coffee/v[0-9]+', '/coffee/v'],
    ['^/tea/\\d+', '/tea/'],
    ['/shop(/|$)(.*)', '/shop'],
    ['/api/v1?', '/api/v'],
    ['/a\\.b/.*', '/a.b/'],
    ['/a|/b', ''],
  ])('literal prefix of %s is %s', (re, prefix) => {
    expect(regexLiteralPrefix(re)).toBe(prefix);
  });

  it('overlaps Exact by full match and PathPrefix by full match or prefix compatibility', () => {
    const m = (type: string, value: string) => normalizeHttpMatch({ path: { type, value } });
    expect(regexOverlapsPath('/coffee/v[0-9]+', m('PathPrefix', '/coffee'))).toBe(true);
    expect(regexOverlapsPath('/coffee/v[0-9]+', m('PathPrefix', '/coffee/v2'))).toBe(true);
    expect(regexOverlapsPath('/coffee/v[0-9]+', m('Exact', '/coffee'))).toBe(false);
    expect(regexOverlapsPath('/coffee/v[0-9]+', m('Exact', '/coffee/v3'))).toBe(true);
    expect(regexOverlapsPath('/tea/[0-9]+', m('PathPrefix', '/teapot'))).toBe(false);
    expect(regexOverlapsPath('/tea/[0-9]+', m('PathPrefix', '/coffee'))).toBe(false);
  });

  it('treats different Exact header values or methods as incompatible', () => {
    const h = (value: string, method?: string) =>
      normalizeHttpMatch({ headers: [{ name: 'version', value }], ...(method ? { method } : {}) });
    expect(constraintsCompatible(h('v1'), h('v2'))).toBe(false);
    expect(constraintsCompatible(h('v1'), normalizeHttpMatch({}))).toBe(true);
    expect(constraintsCompatible(h('v1', 'GET'), h('v1', 'POST'))).toBe(false);
    expect(
      constraintsCompatible(
        h('v1'),
        normalizeHttpMatch({ headers: [{ name: 'Version', type: 'RegularExpression', value: 'v[0-9]' }] }),
      ),
    ).toBe(true);
  });
});

describe('regex-path-overlap', () => {
  it('warns once per route pair in one scope, skipping the PathPrefix / fallback', () => {
    const regexRule = (re: string, extra = '') =>
      `  - matches:\n    - path: {type: RegularExpression, value: "${re}"}\n${extra}    backendRefs:\n    - name: coffee\n      port: 80\n`;
    const v = (value: string) => `      headers:\n      - name: version\n        value: ${value}\n`;
    const parent = '  - name: cafe';
    const findings = analyzeYaml(
      gateway('cafe', 'default', listener('http', 80, 'HTTP')),
      service('coffee', 'default'),
      route({
        name: 'coffee',
        namespace: 'default',
        parentRefs: parent,
        hostnames: ['cafe.example.com'],
        rules: prefixRule('/coffee'),
      }),
      route({
        name: 'coffee-regex',
        namespace: 'default',
        parentRefs: parent,
        hostnames: ['cafe.example.com'],
        rules: regexRule('/coffee/v[0-9]+') + regexRule('/coffee/beta.*'),
      }),
      route({
        name: 'tea-v1',
        namespace: 'default',
        parentRefs: parent,
        hostnames: ['cafe.example.com'],
        rules: prefixRule('/tea', 'coffee', v('v1')),
      }),
      route({
        name: 'tea-regex',
        namespace: 'default',
        parentRefs: parent,
        hostnames: ['cafe.example.com'],
        rules: regexRule('/tea/[0-9]+', v('v2')),
      }),
      route({
        name: 'frontend',
        namespace: 'default',
        parentRefs: parent,
        hostnames: ['cafe.example.com'],
        rules: prefixRule('/'),
      }),
      route({
        name: 'other-host',
        namespace: 'default',
        parentRefs: parent,
        hostnames: ['tea.example.com'],
        rules: prefixRule('/coffee'),
      }),
    );
    expect(summarize(findings)).toEqual([
      'regex-path-overlap: HTTPRoute/default/coffee HTTPRoute/default/coffee-regex',
    ]);
    expect(findings[0]!.severity).toBe('warning');
  });
});

describe('regex-path-overlap candidates', () => {
  it('finds ancestors (PathPrefix) and descendants (Exact or PathPrefix) of the literal prefix, not siblings', () => {
    const parent = '  - name: cafe';
    const exact = (path: string) =>
      `  - matches:\n    - path: {type: Exact, value: ${path}}\n    backendRefs:\n    - name: coffee\n      port: 80\n`;
    const mk = (name: string, rules: string) =>
      route({ name, namespace: 'default', parentRefs: parent, hostnames: ['cafe.example.com'], rules });
    const findings = analyzeYaml(
      gateway('cafe', 'default', listener('http', 80, 'HTTP')),
      service('coffee', 'default'),
      mk(
        're',
        '  - matches:\n    - path: {type: RegularExpression, value: "/shop/items/[0-9]+"}\n    backendRefs:\n    - name: coffee\n      port: 80\n',
      ),
      mk('ancestor', prefixRule('/shop')),
      mk('exact-hit', exact('/shop/items/42')),
      mk('exact-miss', exact('/shop/items/abc')),
      mk('exact-ancestor', exact('/shop')),
      mk('descendant', prefixRule('/shop/items/7')),
      mk('sibling', prefixRule('/shopping')),
    );
    expect(summarize(findings)).toEqual([
      'regex-path-overlap: HTTPRoute/default/ancestor HTTPRoute/default/re',
      'regex-path-overlap: HTTPRoute/default/descendant HTTPRoute/default/re',
      'regex-path-overlap: HTTPRoute/default/exact-hit HTTPRoute/default/re',
    ]);
  });
});
