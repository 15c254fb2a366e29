import { describe, expect, it } from 'vitest';
import { parseTollgateConfig } from '../../../src/core/config/parse-tollgate-config.ts';

describe('.tollgate.yml routes:', () => {
  it('reads the controller profile and declared Namespace labels', () => {
    const { config, findings } = parseTollgateConfig(
      [
        'routes:',
        '  controller: nginx-gateway-fabric',
        '  namespaces:',
        '    store:',
        '      labels: {shared-gateway-access: "true"}',
      ].join('\n'),
    );
    expect(findings).toEqual([]);
    expect(config?.routes).toEqual({
      controller: 'nginx-gateway-fabric',
      namespaceLabels: { store: { 'shared-gateway-access': 'true' } },
    });
  });

  it('defaults to the spec (no profile, no declared labels)', () => {
    expect(parseTollgateConfig('blocking: [routes]\n').config?.routes).toEqual({ namespaceLabels: {} });
  });

  it('names the line of an unknown controller and lists the profiles', () => {
    const { config, findings } = parseTollgateConfig(
      'policies: [policies]\nroutes:\n  controller: traefik\n',
    );
    expect(config).toBeUndefined();
    expect(findings).toHaveLength(1);
    expect(findings[0]!.location).toEqual({ file: '.tollgate.yml', line: 3 });
    expect(findings[0]!.message).toContain('`routes.controller`');
    expect(findings[0]!.message).toContain('nginx-gateway-fabric');
  });

  it('refuses a Namespace name Kubernetes would refuse, and a misspelt key, with their lines', () => {
    const bad = parseTollgateConfig('routes:\n  namespaces:\n    Team_A:\n      labels: {a: b}\n');
    expect(bad.findings[0]!.message).toMatch(/\.tollgate\.yml:3: `routes\.namespaces\.Team_A`: Invalid key/);
    const typo = parseTollgateConfig('routes:\n  controler: istio\n');
    expect(typo.findings[0]!.message).toMatch(/\.tollgate\.yml:2: .*unknown key `controler`/);
  });
});
