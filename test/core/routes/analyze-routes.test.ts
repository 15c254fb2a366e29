import { describe, expect, it } from 'vitest';
import { analyzeRoutes } from '../../../src/core/routes/analyze-routes.ts';
import {
  ALL_NAMESPACES,
  analyzeYaml,
  gateway,
  listener,
  loadFixture,
  manifestsOf,
  prefixRule,
  route,
  service,
  summarize,
} from './route-test-helpers.ts';

const CAFE_GW = gateway('cafe', 'infra', listener('http', 80, 'HTTP', ALL_NAMESPACES));
const TO_CAFE = '  - name: cafe\n    namespace: infra';

describe('analyzeRoutes: the coffee/tea fixture (negatives)', () => {
  it('reports nothing for path, header, query and method splits, other hosts, canaries and other classes', () => {
    expect(summarize(analyzeRoutes(loadFixture('cafe')))).toEqual([]);
  });
});

describe('duplicate-match', () => {
  it('finds /cart vs /cart/ in two routes, with message and the match lines', () => {
    const findings = analyzeRoutes(loadFixture('broken'));
    expect(summarize(findings)).toEqual([
      'duplicate-match: HTTPRoute/default/tea HTTPRoute/default/tea-copy',
    ]);
    const [f] = findings;
    expect(f!.severity).toBe('error');
    expect(f!.message).toContain('GET tea.example.com/cart');
    expect(f!.message).toContain('rule 1 of HTTPRoute/default/tea and rule 2 of HTTPRoute/default/tea-copy');
    expect(f!.locations).toEqual([
      { file: 'broken/routes.yaml', line: 12 },
      { file: 'broken/routes.yaml', line: 33 },
    ]);
  });

  it('finds a copy-pasted rule inside one route (one object)', () => {
    const findings = analyzeYaml(
      CAFE_GW,
      service('coffee', 'cafe'),
      route({
        name: 'menu',
        namespace: 'cafe',
        parentRefs: TO_CAFE,
        hostnames: ['cafe.example.com'],
        rules: prefixRule('/menu') + prefixRule('/specials') + prefixRule('/menu'),
      }),
    );
    expect(summarize(findings)).toEqual(['duplicate-match: HTTPRoute/cafe/menu']);
    expect(findings[0]!.message).toContain('first matching rule wins');
  });

  it('groups header-name case variants, but not different values or Exact vs PathPrefix', () => {
    const v2 = (name: string) => `      headers:\n      - name: ${name}\n        value: v2\n`;
    const exact = `  - matches:\n    - path: {type: Exact, value: /tea}\n    backendRefs:\n    - name: coffee\n      port: 80\n`;
    const findings = analyzeYaml(
      CAFE_GW,
      service('coffee', 'a'),
      service('coffee', 'b'),
      route({
        name: 'x',
        namespace: 'a',
        parentRefs: TO_CAFE,
        rules: prefixRule('/tea', 'coffee', v2('Version')),
      }),
      route({
        name: 'y',
        namespace: 'b',
        parentRefs: TO_CAFE,
        rules: prefixRule('/tea', 'coffee', v2('version')),
      }),
      route({ name: 'z', namespace: 'b', parentRefs: TO_CAFE, rules: exact + prefixRule('/tea') }),
    );
    expect(summarize(findings)).toEqual(['duplicate-match: HTTPRoute/a/x HTTPRoute/b/y']);
  });

  it('reports one finding per scope, not per pair, for three identical routes', () => {
    const routes = ['a', 'b', 'c'].map((ns) =>
      route({
        name: 'echo',
        namespace: ns,
        parentRefs: TO_CAFE,
        hostnames: ['some.example.tld'],
        rules: prefixRule('/'),
      }),
    );
    const findings = analyzeYaml(CAFE_GW, ...['a', 'b', 'c'].map((ns) => service('coffee', ns)), ...routes);
    expect(summarize(findings)).toEqual([
      'duplicate-match: HTTPRoute/a/echo HTTPRoute/b/echo HTTPRoute/c/echo',
    ]);
  });

  it('treats two TCPRoutes on one TCP listener as duplicates', () => {
    const tcpGw = gateway('tcp', 'infra', listener('tcp', 5432, 'TCP', ALL_NAMESPACES));
    const tcp = (name: string) =>
      route({
        kind: 'TCPRoute',
        name,
        namespace: 'db',
        parentRefs: '  - name: tcp\n    namespace: infra',
        rules: '  - backendRefs:\n    - name: pg\n      port: 80\n',
      }).replace('gateway.networking.k8s.io/v1', 'gateway.networking.k8s.io/v1alpha2');
    expect(summarize(analyzeYaml(tcpGw, service('pg', 'db'), tcp('old'), tcp('new')))).toEqual([
      'duplicate-match: TCPRoute/db/new TCPRoute/db/old',
    ]);
  });

  it('does not compare a wildcard-hostname route with a precise one (hostname precedence)', () => {
    const findings = analyzeYaml(
      CAFE_GW,
      service('coffee', 'web'),
      route({
        name: 'landing',
        namespace: 'web',
        parentRefs: TO_CAFE,
        hostnames: ['*.example.com'],
        rules: prefixRule('/'),
      }),
      route({
        name: 'api',
        namespace: 'web',
        parentRefs: TO_CAFE,
        hostnames: ['api.example.com'],
        rules: prefixRule('/'),
      }),
    );
    expect(findings).toEqual([]);
  });
});

describe('attachment', () => {
  it('reports only the first failing step per parentRef, in order', () => {
    const gw = gateway(
      'shop',
      'infra',
      listener('http', 80, 'HTTP', '    hostname: shop.example.com\n') +
        listener('tls', 443, 'TLS', '    allowedRoutes:\n      kinds:\n      - kind: TLSRoute\n'),
    );
    const findings = analyzeYaml(
      gw,
      service('coffee', 'infra'),
      service('coffee', 'team'),
      route({ name: 'typo', namespace: 'infra', parentRefs: '  - name: shopp', rules: prefixRule('/a') }),
      route({
        name: 'section',
        namespace: 'infra',
        parentRefs: '  - name: shop\n    sectionName: https',
        rules: prefixRule('/b'),
      }),
      route({
        name: 'port',
        namespace: 'infra',
        parentRefs: '  - name: shop\n    port: 8080',
        rules: prefixRule('/b'),
      }),
      route({
        name: 'kind',
        namespace: 'infra',
        parentRefs: '  - name: shop\n    sectionName: tls',
        rules: prefixRule('/c'),
      }),
      route({
        name: 'ns',
        namespace: 'team',
        parentRefs: '  - name: shop\n    namespace: infra',
        rules: prefixRule('/d'),
      }),
      route({
        name: 'host',
        namespace: 'infra',
        parentRefs: '  - name: shop',
        hostnames: ['cafe.example.com'],
        rules: prefixRule('/e'),
      }),
      route({
        name: 'partial',
        namespace: 'infra',
        parentRefs: '  - name: shop',
        hostnames: ['shop.example.com', 'old-shop.example.com'],
        rules: prefixRule('/f'),
      }),
    );
    expect(summarize(findings)).toEqual([
      'no-matching-listener-hostname: Gateway/infra/shop HTTPRoute/infra/host',
      'no-matching-parent: Gateway/infra/shop HTTPRoute/infra/port',
      'no-matching-parent: Gateway/infra/shop HTTPRoute/infra/section',
      'not-allowed-by-listeners: Gateway/infra/shop HTTPRoute/infra/kind',
      'not-allowed-by-listeners: Gateway/infra/shop HTTPRoute/team/ns',
      'parent-not-found: Gateway/infra/shopp HTTPRoute/infra/typo',
      'route-hostname-ignored: HTTPRoute/infra/partial',
    ]);
    const ignored = findings.find((f) => f.type === 'route-hostname-ignored')!;
    expect(ignored.severity).toBe('warning');
    expect(ignored.message).toContain('old-shop.example.com');
    expect(ignored.locations).toHaveLength(1);
  });

  it('admits namespaces by label selector, including the automatic metadata.name label', () => {
    const gw = gateway(
      'shared',
      'infra',
      listener(
        'http',
        80,
        'HTTP',
        '    allowedRoutes:\n      namespaces:\n        from: Selector\n        selector:\n          matchLabels:\n            access: "true"\n',
      ) +
        listener(
          'internal',
          8080,
          'HTTP',
          '    allowedRoutes:\n      namespaces:\n        from: Selector\n        selector:\n          matchLabels:\n            kubernetes.io/metadata.name: ops\n',
        ),
    );
    const ns = (name: string, labels: string) =>
      `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n  labels: {${labels}}`;
    const findings = analyzeYaml(
      gw,
      ns('shop', 'access: "true"'),
      ns('blog', 'team: blog'),
      service('coffee', 'shop'),
      service('coffee', 'blog'),
      service('coffee', 'ops'),
      route({
        name: 'store',
        namespace: 'shop',
        parentRefs: '  - name: shared\n    namespace: infra\n    port: 80',
        rules: prefixRule('/'),
      }),
      route({
        name: 'blog',
        namespace: 'blog',
        parentRefs: '  - name: shared\n    namespace: infra\n    port: 80',
        rules: prefixRule('/'),
      }),
      route({
        name: 'admin',
        namespace: 'ops',
        parentRefs: '  - name: shared\n    namespace: infra\n    port: 8080',
        rules: prefixRule('/'),
      }),
    );
    expect(summarize(findings)).toEqual([
      'not-allowed-by-listeners: Gateway/infra/shared HTTPRoute/blog/blog',
    ]);
  });

  it('flags a route whose precise hostname is owned by a more specific listener it is not attached to', () => {
    const gw = gateway(
      'example',
      'default',
      listener('specific', 80, 'HTTP', '    hostname: specific.example.com\n') +
        listener('wildcard', 80, 'HTTP', '    hostname: "*.example.com"\n'),
    );
    const findings = analyzeYaml(
      gw,
      service('coffee', 'default'),
      route({
        name: 'promo',
        namespace: 'default',
        parentRefs: '  - name: example\n    sectionName: wildcard',
        hostnames: ['specific.example.com'],
        rules: prefixRule('/promo'),
      }),
      route({
        name: 'promo-both',
        namespace: 'default',
        parentRefs: '  - name: example',
        hostnames: ['specific.example.com'],
        rules: prefixRule('/deals'),
      }),
    );
    expect(summarize(findings)).toEqual([
      'listener-isolation-unreachable: Gateway/default/example HTTPRoute/default/promo',
    ]);
  });
});

describe('listeners', () => {
  it('reports same port+protocol+hostname and mixed TCP-carried protocols, once per Gateway and type', () => {
    const gw = gateway(
      'edge',
      'default',
      listener('a', 80, 'HTTP', '    hostname: cafe.example.com\n') +
        listener('b', 80, 'HTTP', '    hostname: cafe.example.com\n') +
        listener('c', 80, 'HTTPS') +
        listener('tls', 443, 'TLS', '    hostname: db.example.com\n') +
        listener('https', 443, 'HTTPS', '    hostname: www.example.com\n') +
        listener('dns', 53, 'TCP') +
        listener('dns-udp', 53, 'UDP'),
    );
    const other = gateway('edge-2', 'default', listener('a', 80, 'HTTP', '    hostname: cafe.example.com\n'));
    expect(summarize(analyzeYaml(gw, other))).toEqual([
      'listener-hostname-conflict: Gateway/default/edge',
      'listener-protocol-conflict: Gateway/default/edge',
    ]);
  });
});

describe('backends', () => {
  it('checks existence, ports and ReferenceGrants (grant checked first)', () => {
    const grant = `apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata:
  name: allow-cafe
  namespace: backend
spec:
  from:
  - group: gateway.networking.k8s.io
    kind: HTTPRoute
    namespace: cafe
  to:
  - group: ""
    kind: Service
    name: menu`;
    const backendRule = (name: string, port: number, ns = '') =>
      `  - backendRefs:\n    - name: ${name}\n      port: ${port}\n${ns ? `      namespace: ${ns}\n` : ''}`;
    const findings = analyzeYaml(
      CAFE_GW,
      grant,
      service('menu', 'backend', '  - port: 8080'),
      service('admin', 'backend', '  - port: 8080'),
      service('tea', 'cafe'),
      route({
        name: 'ok',
        namespace: 'cafe',
        parentRefs: TO_CAFE,
        hostnames: ['a.example.com'],
        rules: backendRule('menu', 8080, 'backend'),
      }),
      route({
        name: 'admin',
        namespace: 'cafe',
        parentRefs: TO_CAFE,
        hostnames: ['b.example.com'],
        rules: backendRule('admin', 8080, 'backend'),
      }),
      route({
        name: 'bakery',
        namespace: 'bakery',
        parentRefs: TO_CAFE,
        hostnames: ['c.example.com'],
        rules: backendRule('menu', 8080, 'backend'),
      }),
      route({
        name: 'tea',
        namespace: 'cafe',
        parentRefs: TO_CAFE,
        hostnames: ['d.example.com'],
        rules: `${backendRule('tea', 8080)}    - name: tea-svc\n      port: 80\n`,
      }),
    );
    expect(summarize(findings)).toEqual([
      'backend-not-found: HTTPRoute/cafe/tea Service/cafe/tea-svc',
      'backend-port-not-found: HTTPRoute/cafe/tea Service/cafe/tea',
      'backend-ref-not-permitted: HTTPRoute/bakery/bakery Service/backend/menu',
      'backend-ref-not-permitted: HTTPRoute/cafe/admin Service/backend/admin',
    ]);
  });

  it('treats external ids as existing and drops findings among external objects only', () => {
    const docs = manifestsOf(
      route({ name: 'coffee', namespace: 'cafe', parentRefs: TO_CAFE, rules: prefixRule('/coffee') }),
    );
    expect(summarize(analyzeRoutes(docs))).toEqual([
      'backend-not-found: HTTPRoute/cafe/coffee Service/cafe/coffee',
      'parent-not-found: Gateway/infra/cafe HTTPRoute/cafe/coffee',
    ]);
    expect(analyzeRoutes(docs, { external: ['Gateway/infra/cafe', 'Service/cafe/coffee'] })).toEqual([]);
    const gw = manifestsOf(CAFE_GW, service('coffee', 'cafe'));
    const copy = route({
      name: 'coffee-2',
      namespace: 'cafe',
      parentRefs: TO_CAFE,
      rules: prefixRule('/coffee'),
    });
    expect(summarize(analyzeRoutes(manifestsOf(copy), { external: [...gw, ...docs] }))).toEqual([
      'duplicate-match: HTTPRoute/cafe/coffee HTTPRoute/cafe/coffee-2',
    ]);
    expect(
      analyzeRoutes(manifestsOf(service('tea', 'cafe')), {
        external: [...gw, ...docs, ...manifestsOf(copy)],
      }),
    ).toEqual([]);
  });
});
