import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CliIO } from '../../../src/cli/cli-io.ts';
import { runRoutesCommand } from '../../../src/cli/commands/routes-command.ts';

const fixtures = fileURLToPath(new URL('../../fixtures/routes', import.meta.url));

function capture(): { io: CliIO; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    io: { stdout: (t) => (out += t), stderr: (t) => (err += t), cwd: fixtures, env: {} },
    out: () => out,
    err: () => err,
  };
}

describe('tollgate routes', () => {
  it('prints JSON findings with locations and exits 1 on errors; reports YAML errors without crashing', async () => {
    // Written at run time: a deliberately broken fixture would trip the repository's formatter.
    const badYaml = join(mkdtempSync(join(tmpdir(), 'tollgate-routes-')), 'not-yaml.yaml');
    writeFileSync(badYaml, 'apiVersion: v1\nkind: Service\nmetadata:\n  labels: {app: [unclosed\n');
    const c = capture();
    const code = await runRoutesCommand(['broken', badYaml, '--format', 'json'], c.io);
    expect(code).toBe(1);
    const findings = JSON.parse(c.out());
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      type: 'duplicate-match',
      severity: 'error',
      objects: ['HTTPRoute/default/tea', 'HTTPRoute/default/tea-copy'],
      locations: [
        { file: 'broken/routes.yaml', line: 12 },
        { file: 'broken/routes.yaml', line: 33 },
      ],
    });
    expect(c.err()).toMatch(/not-yaml\.yaml:\d+: /);
  });

  it('prints text grouped by type with file:line, and exits 0 when clean', async () => {
    const broken = capture();
    await runRoutesCommand(['broken/routes.yaml', 'broken/gateway.yaml'], broken.io);
    expect(broken.out()).toContain('duplicate-match (error, 1)');
    expect(broken.out()).toContain('at broken/routes.yaml:12, broken/routes.yaml:33');
    const clean = capture();
    expect(await runRoutesCommand(['cafe'], clean.io)).toBe(0);
    expect(clean.out()).toBe('routes: no conflicts found\n');
  });

  it('rejects bad usage with a UsageError (exit 2 through the dispatcher)', async () => {
    await expect(runRoutesCommand(['--format', 'xml'], capture().io)).rejects.toThrow(/--format/);
    await expect(runRoutesCommand(['no-such-dir'], capture().io)).rejects.toThrow(/cannot read/);
    await expect(runRoutesCommand(['--bogus'], capture().io)).rejects.toThrow();
    const help = capture();
    expect(await runRoutesCommand(['--help'], help.io)).toBe(0);
    expect(help.out()).toContain('usage: tollgate routes');
  });
});

describe('tollgate routes --controller and --external Namespace labels', () => {
  const probes = fileURLToPath(new URL('../../fixtures/routes/probes', import.meta.url));

  it('applies a controller profile: NGF serves GRPCRoute and HTTPRoute on one hostname (warning, exit 0)', async () => {
    const spec = capture();
    expect(
      await runRoutesCommand([join(probes, 'grpc-http-nginx-gateway-fabric'), '--format', 'json'], spec.io),
    ).toBe(1);
    const ngf = capture();
    const code = await runRoutesCommand(
      [
        join(probes, 'grpc-http-nginx-gateway-fabric'),
        '--format',
        'json',
        '--controller',
        'nginx-gateway-fabric',
      ],
      ngf.io,
    );
    expect(code).toBe(0);
    expect(JSON.parse(ngf.out())).toMatchObject([
      { type: 'grpc-http-hostname-conflict', severity: 'warning' },
    ]);
  });

  it('decides a Selector listener with labels declared by --external Namespace/NAME:k=v', async () => {
    const c = capture();
    await runRoutesCommand(
      [
        join(probes, 'namespace-labels-declared'),
        '--format',
        'json',
        '--external',
        'Namespace/store:shared-gateway-access=true',
        '--external',
        'Namespace/wiki:shared-gateway-access=true',
      ],
      c.io,
    );
    const types = (JSON.parse(c.out()) as { type: string; objects: string[] }[]).map(
      (f) => `${f.type} ${f.objects.join(' ')}`,
    );
    expect(types).toEqual(['namespace-labels-unknown Gateway/infra/shared HTTPRoute/blog/blog']);
  });

  it('refuses an unknown controller and malformed labels as usage errors', async () => {
    await expect(runRoutesCommand(['--controller', 'traefik'], capture().io)).rejects.toThrow(
      /--controller must be one of nginx-gateway-fabric/,
    );
    await expect(runRoutesCommand(['--external', 'Namespace/a:novalue'], capture().io)).rejects.toThrow(
      /labels are key=value/,
    );
  });
});
