import { describe, expect, it } from 'vitest';
import { mentionsCommand, parseCommands } from '../../../src/core/chatops/parse-commands.ts';

const commands = (body: string) => parseCommands(body).map((p) => (p.ok ? p.command : { error: p.error }));

describe('parseCommands', () => {
  it('reads the full and the short rollback forms with their options', () => {
    expect(commands('/tollgate rollback production')).toEqual([
      { name: 'rollback', environment: 'production', dryRun: false },
    ]);
    expect(commands('/rollback staging to 1a2b3c4d --dry-run')).toEqual([
      { name: 'rollback', environment: 'staging', target: { kind: 'sha', sha: '1a2b3c4d' }, dryRun: true },
    ]);
    expect(commands('/tollgate rollback production to #1234567890')).toEqual([
      {
        name: 'rollback',
        environment: 'production',
        target: { kind: 'deployment', id: 1234567890 },
        dryRun: false,
      },
    ]);
    expect(commands('/tollgate rollback production to 12345678')[0]).toMatchObject({
      target: { kind: 'number', value: '12345678' },
    });
  });

  it('runs several commands in order, and ignores prose around them', () => {
    const body =
      'Prod is on fire.\n/tollgate lock production incident INC-42: checkout 500s\nthen\n/tollgate recheck\n';
    expect(commands(body)).toEqual([
      { name: 'lock', environment: 'production', reason: 'incident INC-42: checkout 500s' },
      { name: 'recheck' },
    ]);
    expect(parseCommands(body).map((p) => p.line)).toEqual([2, 4]);
  });

  it('ignores commands in quotes, fenced and indented code blocks, and mid-line', () => {
    const body = [
      '> /tollgate rollback production',
      '```',
      '/tollgate rollback production',
      '```',
      '~~~sh',
      '/rollback production',
      '~~~',
      '',
      '    /tollgate rollback production',
      'Please do not run `/tollgate rollback production` yet',
      '/tollgatex help',
      '/tollgate unlock production',
    ].join('\n');
    expect(commands(body)).toEqual([{ name: 'unlock', environment: 'production' }]);
    expect(mentionsCommand('> /tollgate help\n```\n/rollback x\n```')).toBe(false);
  });

  it('treats a fence that is never closed as code to the end', () => {
    expect(commands('```\n/tollgate help')).toEqual([]);
  });

  it('answers unknown commands and bad arguments with the right usage', () => {
    const [unknown] = parseCommands('/tollgate deploy production');
    expect(unknown).toMatchObject({ ok: false, error: "unknown command 'deploy'" });
    expect(!unknown!.ok && unknown!.usage).toContain('/tollgate rollback ENV');
    expect(!unknown!.ok && unknown!.usage).toContain('/tollgate lock ENV');

    const [noEnv] = parseCommands('/rollback');
    expect(noEnv).toMatchObject({
      ok: false,
      usage: '/tollgate rollback ENV [to SHA|#DEPLOYMENT] [--dry-run]',
    });
    expect(parseCommands('/tollgate rollback prod to main')[0]).toMatchObject({ ok: false });
    expect(parseCommands('/tollgate rollback prod --force')[0]).toMatchObject({
      ok: false,
      error: 'unknown option --force',
    });
    expect(parseCommands('/tollgate override policy')[0]).toMatchObject({
      ok: false,
      usage: '/tollgate override CHECK reason…',
    });
    expect(parseCommands('/tollgate recheck now')[0]).toMatchObject({
      ok: false,
      error: 'recheck takes no arguments',
    });
  });

  it('reads an override with its reason and a bare /tollgate as help', () => {
    expect(commands('/tollgate override routes hotfix approved by SRE on call')).toEqual([
      { name: 'override', check: 'routes', reason: 'hotfix approved by SRE on call' },
    ]);
    expect(commands('/tollgate')).toEqual([{ name: 'help' }]);
    expect(commands('/TOLLGATE Help')).toEqual([{ name: 'help' }]);
  });

  it('reads /tollgate doctor, which takes no arguments (never --apply from a comment)', () => {
    expect(commands('/tollgate doctor')).toEqual([{ name: 'doctor' }]);
    expect(parseCommands('/tollgate doctor --apply')[0]).toMatchObject({
      ok: false,
      error: 'doctor takes no arguments',
      usage: '/tollgate doctor',
    });
  });
});
