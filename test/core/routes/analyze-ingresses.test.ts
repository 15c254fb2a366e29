import { describe, expect, it } from 'vitest';
import {
  analyzeYaml,
  gateway,
  listener,
  prefixRule,
  route,
  service,
  summarize,
} from './route-test-helpers.ts';

interface IngressSpec {
  name: string;
  namespace: string;
  className?: string;
  annotations?: Record<string, string>;
  host?: string;
  paths: { path: string; pathType?: string; service?: string; port?: string }[];
}

function ingress(i: IngressSpec): string {
  const annotations = i.annotations
    ? `  annotations:\n${Object.entries(i.annotations)
        .map(([k, v]) => `    ${k}: "${v}"`)
        .join('\n')}\n`
    : '';
  const paths = i.paths
    .map(
      (p) =>
        `      - path: ${p.path}\n        pathType: ${p.pathType ?? 'Prefix'}\n        backend:\n          service:\n            name: ${p.service ?? 'web'}\n            port:\n              ${p.port ?? 'number: 80'}`,
    )
    .join('\n');
  return `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ${i.name}
  namespace: ${i.namespace}
${annotations}spec:
${i.className ? `  ingressClassName: ${i.className}\n` : ''}  rules:
  - ${i.host ? `host: ${i.host}\n    ` : ''}http:
      paths:
${paths}`;
}

const ingressClass = (name: string, controller: string, isDefault = false) =>
  `apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata:
  name: ${name}
${isDefault ? '  annotations:\n    ingressclass.kubernetes.io/is-default-class: "true"\n' : ''}spec:
  controller: ${controller}`;

describe('ingress-duplicate-path', () => {
  it('groups same class, host, path, pathType and canary flag; exempts canaries, Exact and other classes', () => {
    const findings = analyzeYaml(
      service('web', 'a'),
      service('web', 'b'),
      service('web', 'c'),
      ingress({
        name: 'tea',
        namespace: 'a',
        className: 'nginx',
        host: 'cafe.example.com',
        paths: [{ path: '/tea' }],
      }),
      ingress({
        name: 'tea',
        namespace: 'b',
        className: 'nginx',
        host: 'cafe.example.com',
        paths: [{ path: '/tea' }],
      }),
      ingress({
        name: 'tea-canary',
        namespace: 'b',
        className: 'nginx',
        annotations: { 'nginx.ingress.kubernetes.io/canary': 'true' },
        host: 'cafe.example.com',
        paths: [{ path: '/tea' }],
      }),
      ingress({
        name: 'tea-exact',
        namespace: 'c',
        className: 'nginx',
        host: 'cafe.example.com',
        paths: [{ path: '/tea', pathType: 'Exact' }],
      }),
      ingress({
        name: 'tea-internal',
        namespace: 'c',
        className: 'internal',
        host: 'cafe.example.com',
        paths: [{ path: '/tea' }],
      }),
    );
    expect(summarize(findings)).toEqual(['ingress-duplicate-path: Ingress/a/tea Ingress/b/tea']);
    expect(findings[0]!.message).toContain('cafe.example.com /tea (Prefix)');
  });

  it('resolves the class from the legacy annotation and the default IngressClass (host-less = default server)', () => {
    const findings = analyzeYaml(
      ingressClass('public', 'k8s.io/ingress-nginx', true),
      service('web', 'a'),
      service('web', 'b'),
      service('web', 'c'),
      ingress({
        name: 'x',
        namespace: 'a',
        annotations: { 'kubernetes.io/ingress.class': 'public' },
        paths: [{ path: '/x' }],
      }),
      ingress({ name: 'x', namespace: 'b', paths: [{ path: '/x' }] }),
      ingress({
        name: 'x',
        namespace: 'c',
        className: 'public',
        host: 'x.example.com',
        paths: [{ path: '/x' }],
      }),
    );
    expect(summarize(findings)).toEqual(['ingress-duplicate-path: Ingress/a/x Ingress/b/x']);
  });
});

describe('ingress-regex-host-contamination', () => {
  it('warns per (class, host) when use-regex or rewrite-target shares a host with plain Ingresses', () => {
    const findings = analyzeYaml(
      service('web', 'api'),
      service('web', 'shop'),
      ingress({
        name: 'users',
        namespace: 'api',
        className: 'nginx',
        annotations: { 'nginx.ingress.kubernetes.io/use-regex': 'true' },
        host: 'api.example.com',
        paths: [{ path: '/users/[0-9]+', pathType: 'ImplementationSpecific' }],
      }),
      ingress({
        name: 'health',
        namespace: 'api',
        className: 'nginx',
        host: 'api.example.com',
        paths: [{ path: '/healthz', pathType: 'Exact' }],
      }),
      ingress({
        name: 'rewrite',
        namespace: 'shop',
        className: 'traefik',
        annotations: { 'nginx.ingress.kubernetes.io/rewrite-target': '/$2' },
        host: 'shop.example.com',
        paths: [{ path: '/shop(/|$)(.*)', pathType: 'ImplementationSpecific' }],
      }),
      ingress({
        name: 'assets',
        namespace: 'shop',
        className: 'traefik',
        host: 'shop.example.com',
        paths: [{ path: '/assets' }],
      }),
    );
    expect(summarize(findings)).toEqual([
      'ingress-regex-host-contamination: Ingress/api/health Ingress/api/users',
    ]);
    expect(findings[0]!.severity).toBe('warning');
  });
});

describe('ingress backends and ingress-httproute-overlap', () => {
  it('checks Service and port (number or name) of Ingress backends', () => {
    const findings = analyzeYaml(
      service('web', 'a', '  - port: 80\n    name: http'),
      ingress({
        name: 'site',
        namespace: 'a',
        className: 'nginx',
        host: 'a.example.com',
        paths: [
          { path: '/ok', port: 'name: http' },
          { path: '/bad-name', port: 'name: https' },
          { path: '/gone', service: 'gone' },
        ],
      }),
    );
    expect(summarize(findings)).toEqual([
      'backend-not-found: Ingress/a/site Service/a/gone',
      'backend-port-not-found: Ingress/a/site Service/a/web',
    ]);
  });

  it('warns when an attached HTTPRoute serves the same host and path as an Ingress', () => {
    const gw = gateway('cafe', 'cafe', listener('http', 80, 'HTTP'));
    const findings = analyzeYaml(
      gw,
      service('web', 'cafe'),
      ingress({
        name: 'legacy',
        namespace: 'cafe',
        className: 'nginx',
        host: 'cafe.example.com',
        paths: [{ path: '/coffee/' }, { path: '/tea', pathType: 'Exact' }],
      }),
      route({
        name: 'coffee',
        namespace: 'cafe',
        parentRefs: '  - name: cafe',
        hostnames: ['*.example.com'],
        rules: prefixRule('/coffee', 'web'),
      }),
      route({
        name: 'tea',
        namespace: 'cafe',
        parentRefs: '  - name: cafe',
        hostnames: ['cafe.example.com'],
        rules: prefixRule('/tea', 'web'),
      }),
      route({
        name: 'detached',
        namespace: 'cafe',
        parentRefs: '  - name: nope',
        hostnames: ['cafe.example.com'],
        rules: prefixRule('/coffee', 'web'),
      }),
    );
    expect(summarize(findings)).toEqual([
      'ingress-httproute-overlap: HTTPRoute/cafe/coffee Ingress/cafe/legacy',
      'parent-not-found: Gateway/cafe/nope HTTPRoute/cafe/detached',
    ]);
  });
});

describe('grpc-http-hostname-conflict', () => {
  it('reports an HTTPRoute and a GRPCRoute with intersecting hostnames on one listener, per pair', () => {
    const grpc = (name: string, host: string) =>
      route({
        kind: 'GRPCRoute',
        name,
        namespace: 'default',
        parentRefs: '  - name: api',
        hostnames: [host],
        rules: '  - backendRefs:\n    - name: web\n      port: 80\n',
      });
    const http = (name: string, host: string) =>
      route({
        name,
        namespace: 'default',
        parentRefs: '  - name: api',
        hostnames: [host],
        rules: prefixRule('/', 'web'),
      });
    const findings = analyzeYaml(
      gateway('api', 'default', listener('http', 80, 'HTTP')),
      service('web', 'default'),
      grpc('grpc-api', 'api.example.com'),
      http('rest-api', 'api.example.com'),
      grpc('internal', '*.internal.example.com'),
      http('billing', 'billing.internal.example.com'),
      http('www', 'www.example.com'),
      grpc('inventory', 'grpc.example.com'),
    );
    expect(summarize(findings)).toEqual([
      'grpc-http-hostname-conflict: GRPCRoute/default/grpc-api HTTPRoute/default/rest-api',
      'grpc-http-hostname-conflict: GRPCRoute/default/internal HTTPRoute/default/billing',
    ]);
  });
});
