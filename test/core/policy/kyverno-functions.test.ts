import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluateJmespath } from '../../../src/core/policy/evaluate-jmespath.ts';
import { parseGoTime } from '../../../src/core/policy/parse-go-time.ts';

const pem = readFileSync(new URL('../../fixtures/policy/tea-shop-cert.pem', import.meta.url), 'utf8');
const run = (expr: string, data: unknown = {}) => evaluateJmespath(expr, data);

describe('time_parse with Go layouts', () => {
  it.each([
    ['2006-01-02', '2024-03-05', '2024-03-05T00:00:00Z'],
    ['2006-01-02T15:04:05Z07:00', '2024-03-05T10:20:30+02:00', '2024-03-05T08:20:30Z'],
    ['Mon Jan _2 15:04:05 2006', 'Tue Mar  5 10:20:30 2024', '2024-03-05T10:20:30Z'],
    ['02 Jan 06 15:04 -0700', '05 Mar 24 10:20 -0130', '2024-03-05T11:50:00Z'],
    ['January 2, 2006 3:04 PM', 'March 5, 2024 1:07 PM', '2024-03-05T13:07:00Z'],
    ['2006-01-02 15:04:05.000', '2024-03-05 10:20:30.250', '2024-03-05T10:20:30.250Z'],
  ])('%s parses %s', (layout, value, want) => {
    expect(new Date(parseGoTime(layout, value)).toISOString().replace('.000Z', 'Z')).toBe(want);
  });

  it('treats a numeric layout as Unix seconds and rejects values that do not fit the layout', () => {
    expect(run("time_parse('1136214245', '1675187400')")).toBe('2023-01-31T17:50:00Z');
    expect(run("time_parse('2006-01-02', '2024-03-05')")).toBe('2024-03-05T00:00:00Z');
    expect(() => run("time_parse('2006-01-02', '05/03/2024')")).toThrow(/cannot parse/);
  });
});

describe('x509_decode, sha256, random, image_normalize, time_to_cron', () => {
  it('decodes a PEM certificate into Go x509 field names', () => {
    const cert = run('x509_decode(pem)', { pem }) as Record<string, unknown>;
    expect(cert).toMatchObject({
      Subject: { CommonName: 'tea.shop.local', Organization: ['Tea Shop'] },
      Issuer: { CommonName: 'tea.shop.local' },
      DNSNames: ['tea.shop.local', 'coffee.shop.local'],
      IsCA: false,
    });
    expect(String(cert.NotAfter)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(run("time_after(x509_decode(pem).NotAfter, '2030-01-01T00:00:00Z')", { pem })).toBe(true);
    expect(() => run("x509_decode('not a certificate')")).toThrow(/x509_decode/);
  });

  it('hashes, generates from a pattern, normalizes images and converts times to cron', () => {
    expect(run("sha256('abc')")).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(run("random('[a-z0-9]{6}')")).toMatch(/^[a-z0-9]{6}$/);
    expect(run("random('tea-\\\\d{3}')")).toMatch(/^tea-\d{3}$/);
    expect(run("image_normalize('nginx')")).toBe('docker.io/nginx:latest');
    expect(run("image_normalize('bitnami/redis:7')")).toBe('docker.io/bitnami/redis:7');
    expect(run("image_normalize('ghcr.io/tea/shop')")).toBe('ghcr.io/tea/shop:latest');
    expect(run("image_normalize('localhost:5000/tea@sha256:abc')")).toBe('localhost:5000/tea@sha256:abc');
    expect(run("time_to_cron('2024-03-05T10:20:30Z')")).toBe('20 10 5 3 2');
  });
});
