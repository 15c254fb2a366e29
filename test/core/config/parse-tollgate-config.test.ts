import { describe, expect, it } from 'vitest';
import { parseTollgateConfig } from '../../../src/core/config/parse-tollgate-config.ts';
import { splitCommandLine } from '../../../src/core/config/split-command-line.ts';
import { DEFAULT_CONFIG, resolveEnvironments } from '../../../src/core/config/tollgate-config.ts';

describe('parseTollgateConfig', () => {
  it('reads environments of every source type, in order, with defaults for the rest', () => {
    const { config, findings } = parseTollgateConfig(
      [
        'environments:',
        '  - name: staging',
        '    kustomize: overlays/staging/',
        '  - name: production',
        '    command: helm template app ./chart -f "values prod.yaml"',
        '    timeoutSeconds: 30',
        '    namespace: cafe-prod',
        '  - name: plain',
        '    path: ./manifests',
        'drift:',
        '  allow: [spec.paused]',
      ].join('\n'),
    );
    expect(findings).toEqual([]);
    expect(config?.environments).toEqual([
      { name: 'staging', source: { type: 'kustomize', path: 'overlays/staging' }, line: 2 },
      {
        name: 'production',
        source: {
          type: 'command',
          argv: ['helm', 'template', 'app', './chart', '-f', 'values prod.yaml'],
          timeoutSeconds: 30,
        },
        namespace: 'cafe-prod',
        line: 4,
      },
      { name: 'plain', source: { type: 'path', path: 'manifests' }, line: 8 },
    ]);
    expect(config?.blocking).toEqual(DEFAULT_CONFIG.blocking);
    expect(config?.protectedBranch).toBe('main');
    expect(config?.policies).toEqual(['policies']);
    expect(config?.policiesDeclared).toBe(false);
    expect(config?.drift.allow).toEqual(['spec.paused']);
    expect(config?.limits.maxRenderOutputBytes).toBe(16 * 1024 * 1024);
  });

  it('takes argv arrays as they are and the default timeout from limits', () => {
    const { config } = parseTollgateConfig(
      'limits:\n  renderTimeoutSeconds: 7\nenvironments:\n  - name: p\n    command: [kustomize, build, "overlays/prod"]\n',
    );
    expect(config?.environments[0]?.source).toEqual({
      type: 'command',
      argv: ['kustomize', 'build', 'overlays/prod'],
      timeoutSeconds: 7,
    });
  });

  it('names the key and the line of every error', () => {
    const { config, findings } = parseTollgateConfig(
      [
        'environments:',
        '  - name: staging',
        '    path: a',
        '    kustomize: b',
        '  - name: prod',
        '    kustomise: overlays/prod',
        'blocking: [yaml, nope]',
        'protectedBranch: 3',
      ].join('\n'),
    );
    expect(config).toBeUndefined();
    const byLine = findings.map((f) => [f.location?.line, f.message]);
    expect(byLine).toContainEqual([
      2,
      '.tollgate.yml:2: `environments[0]`: declares `path` and `kustomize`; choose one',
    ]);
    expect(byLine).toContainEqual([
      6,
      '.tollgate.yml:6: `environments[1].kustomise`: unknown key `kustomise` (did you mean `kustomize`?)',
    ]);
    expect(findings.some((f) => f.location?.line === 7 && f.message.includes('`blocking[1]`'))).toBe(true);
    expect(findings.some((f) => f.location?.line === 8 && f.message.includes('`protectedBranch`'))).toBe(
      true,
    );
    expect(
      findings.every((f) => f.check === 'config' && f.blocking && f.location?.file === '.tollgate.yml'),
    ).toBe(true);
  });

  it('suggests the key a typo meant, at every level', () => {
    const messages = (text: string) => parseTollgateConfig(text).findings.map((f) => f.message);
    expect(messages('enviroments: []\n')).toEqual([
      '.tollgate.yml:1: `enviroments`: unknown key `enviroments` (did you mean `environments`?)',
    ]);
    expect(messages('chatops:\n  permissions: {rolback: admin}\n')).toEqual([
      '.tollgate.yml:2: `chatops.permissions.rolback`: unknown key `rolback` (did you mean `rollback`?)',
    ]);
    expect(messages('colour: blue\n')).toEqual(['.tollgate.yml:1: `colour`: unknown key `colour`']);
  });

  it('refuses duplicate environment names, shell operators, paths leaving the repository and bad YAML', () => {
    const dup = parseTollgateConfig('environments:\n  - name: a\n    path: x\n  - name: a\n    path: y\n');
    expect(dup.findings[0]?.location?.line).toBe(4);
    const shell = parseTollgateConfig(
      'environments:\n  - name: a\n    command: helm template x | grep kind\n',
    );
    expect(shell.findings[0]?.message).toContain('shell operator');
    expect(shell.findings[0]?.location?.line).toBe(3);
    const outside = parseTollgateConfig('environments:\n  - name: a\n    path: ../other\n');
    expect(outside.findings[0]?.message).toContain('inside the repository');
    const broken = parseTollgateConfig('environments: [\n', 'ci/.tollgate.yml');
    expect(broken.config).toBeUndefined();
    expect(broken.findings[0]?.location?.file).toBe('ci/.tollgate.yml');
    const duplicateKey = parseTollgateConfig('blocking: [yaml]\nblocking: [render]\n');
    expect(duplicateKey.findings[0]?.location?.line).toBe(2);
  });

  it('gives the defaults for an empty file and discovers one environment without any', () => {
    const { config } = parseTollgateConfig('# nothing yet\n');
    expect(config).toEqual(DEFAULT_CONFIG);
    expect(resolveEnvironments(config!)).toEqual([{ name: 'default', source: { type: 'discover' } }]);
  });
});

describe('splitCommandLine', () => {
  it('splits words with quotes and escapes, without a shell', () => {
    expect(splitCommandLine(`a 'b c' "d \\"e\\"" f\\ g`)).toEqual({ argv: ['a', 'b c', 'd "e"', 'f g'] });
    expect(splitCommandLine('echo $HOME')).toHaveProperty('error');
    expect(splitCommandLine('a "b')).toEqual({ error: 'unterminated " quote' });
    expect(splitCommandLine('   ')).toEqual({ error: 'the command is empty' });
  });
});
