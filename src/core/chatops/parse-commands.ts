/**
 * Slash commands in a merge request or issue comment, parsed without I/O.
 * A command is a line that starts with `/tollgate` (or the short form `/rollback`), outside quotes
 * (`>`), fenced code blocks (``` or ~~~) and indented code blocks (4 spaces or a tab).
 */

/** What `rollback ... to X` points at: a commit, a deployment id, or a number that may be either. */
export type RollbackTarget =
  | { kind: 'sha'; sha: string }
  | { kind: 'deployment'; id: number }
  /** All digits: a deployment id when one matches, else a commit SHA (7+ digits). */
  | { kind: 'number'; value: string };

export type ChatCommand =
  | { name: 'help' }
  | { name: 'recheck' }
  | { name: 'rollback'; environment: string; target?: RollbackTarget; dryRun: boolean }
  | { name: 'confirm' }
  | { name: 'cancel' }
  | { name: 'lock'; environment: string; reason?: string }
  | { name: 'unlock'; environment: string }
  | { name: 'override'; check: string; reason: string }
  | { name: 'doctor' };

export type CommandName = ChatCommand['name'];

export type ParsedCommand = { line: number; text: string } & (
  | { ok: true; command: ChatCommand }
  | { ok: false; error: string; usage: string }
);

export const COMMAND_USAGE: Record<CommandName, string> = {
  help: '/tollgate help',
  recheck: '/tollgate recheck',
  rollback: '/tollgate rollback ENV [to SHA|#DEPLOYMENT] [--dry-run]',
  confirm: '/tollgate confirm',
  cancel: '/tollgate cancel',
  lock: '/tollgate lock ENV [reason]',
  unlock: '/tollgate unlock ENV',
  override: '/tollgate override CHECK reason…',
  doctor: '/tollgate doctor',
};

export const COMMAND_SUMMARY: Record<CommandName, string> = {
  help: 'list the commands you may run here',
  recheck: "re-run Tollgate's checks on the current head",
  rollback: 'plan (and, after `/tollgate confirm`, do) a rollback of ENV',
  confirm: 'confirm the rollback plan you asked for (within its time limit)',
  cancel: 'drop the rollback plan you asked for',
  lock: 'freeze ENV: merges that touch it fail the check until unlocked',
  unlock: 'lift the freeze on ENV',
  override: "let this merge request's failing CHECK pass, on the record",
  doctor: "check the protected branch's safeguards (read-only)",
};

const ALL_USAGE = Object.values(COMMAND_USAGE).join('\n');
const ENV_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
const CHECK_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$/;
const PREFIX = /^\/(tollgate|rollback)(?=\s|$)/i;

function fail(name: CommandName | undefined, error: string) {
  return { ok: false as const, error, usage: name ? COMMAND_USAGE[name] : ALL_USAGE };
}

function parseTarget(raw: string): RollbackTarget | undefined {
  const hash = /^#(\d{1,20})$/.exec(raw);
  if (hash) return { kind: 'deployment', id: Number(hash[1]) };
  if (/^\d{1,40}$/.test(raw)) return { kind: 'number', value: raw };
  if (/^[0-9a-f]{7,40}$/i.test(raw)) return { kind: 'sha', sha: raw.toLowerCase() };
  return undefined;
}

function parseRollback(args: string[]) {
  const dryRun = args.includes('--dry-run');
  const rest = args.filter((a) => a !== '--dry-run');
  const unknownFlag = rest.find((a) => a.startsWith('--'));
  if (unknownFlag) return fail('rollback', `unknown option ${unknownFlag}`);
  const [environment, keyword, ref, ...extra] = rest;
  if (!environment) return fail('rollback', 'name the environment to roll back');
  if (!ENV_PATTERN.test(environment)) return fail('rollback', `'${environment}' is not an environment name`);
  if (keyword === undefined)
    return { ok: true as const, command: { name: 'rollback' as const, environment, dryRun } };
  if (keyword.toLowerCase() !== 'to')
    return fail('rollback', `expected 'to SHA' after ${environment}, got '${keyword}'`);
  if (!ref) return fail('rollback', "'to' needs a commit SHA or a #deployment id");
  if (extra.length > 0) return fail('rollback', `unexpected '${extra.join(' ')}'`);
  const target = parseTarget(ref);
  if (!target)
    return fail('rollback', `'${ref}' is neither a commit SHA (7–40 hex digits) nor a #deployment id`);
  return { ok: true as const, command: { name: 'rollback' as const, environment, target, dryRun } };
}

function parseLine(name: string, args: string[], rawArgs: string) {
  switch (name) {
    case 'help':
    case 'recheck':
    case 'confirm':
    case 'cancel':
    case 'doctor':
      if (args.length > 0) return fail(name, `${name} takes no arguments`);
      return { ok: true as const, command: { name } as ChatCommand };
    case 'rollback':
      return parseRollback(args);
    case 'lock': {
      const [environment] = args;
      if (!environment) return fail('lock', 'name the environment to lock');
      if (!ENV_PATTERN.test(environment)) return fail('lock', `'${environment}' is not an environment name`);
      const reason = rawArgs.slice(rawArgs.indexOf(environment) + environment.length).trim();
      return {
        ok: true as const,
        command: { name: 'lock' as const, environment, ...(reason ? { reason } : {}) },
      };
    }
    case 'unlock': {
      const [environment, ...extra] = args;
      if (!environment) return fail('unlock', 'name the environment to unlock');
      if (!ENV_PATTERN.test(environment) || extra.length > 0)
        return fail('unlock', `expected one environment name, got '${args.join(' ')}'`);
      return { ok: true as const, command: { name: 'unlock' as const, environment } };
    }
    case 'override': {
      const [check] = args;
      if (!check) return fail('override', 'name the check to override and say why');
      if (!CHECK_PATTERN.test(check)) return fail('override', `'${check}' is not a check name`);
      const reason = rawArgs.slice(rawArgs.indexOf(check) + check.length).trim();
      if (!reason) return fail('override', 'an override needs a reason; it goes on the record');
      return { ok: true as const, command: { name: 'override' as const, check, reason } };
    }
    default:
      return fail(undefined, `unknown command '${name}'`);
  }
}

/** Lines of `body` that are not quoted and not inside a code block, with their 1-based numbers. */
function commandCandidates(body: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  let fence: string | undefined;
  let previousBlank = true;
  body.split(/\r\n|\r|\n/).forEach((raw, index) => {
    const fenceMatch = /^ {0,3}(`{3,}|~{3,})/.exec(raw);
    if (fence) {
      if (fenceMatch && fenceMatch[1]![0] === fence[0] && fenceMatch[1]!.length >= fence.length)
        fence = undefined;
      return;
    }
    if (fenceMatch) {
      fence = fenceMatch[1];
      return;
    }
    const blank = raw.trim() === '';
    // An indented code block starts after a blank line; indentation inside a paragraph is a continuation.
    const indentedCode = previousBlank && /^( {4}|\t)/.test(raw);
    previousBlank = blank;
    if (blank || indentedCode) return;
    const text = raw.replace(/^ {0,3}/, '');
    if (text.startsWith('>')) return;
    if (PREFIX.test(text)) out.push({ line: index + 1, text: text.trimEnd() });
  });
  return out;
}

/** Every command line in a comment, in order; bad lines come back with the usage to show. */
export function parseCommands(body: string): ParsedCommand[] {
  return commandCandidates(body).map(({ line, text }) => {
    const prefix = PREFIX.exec(text)![1]!.toLowerCase();
    const afterPrefix = text.slice(prefix.length + 1).trim();
    if (prefix === 'rollback') {
      const args = afterPrefix.split(/\s+/).filter(Boolean);
      return { line, text, ...parseRollback(args) };
    }
    const [name = 'help', ...args] = afterPrefix.split(/\s+/).filter(Boolean);
    const rawArgs = afterPrefix.slice(afterPrefix.indexOf(name) + name.length);
    return { line, text, ...parseLine(name.toLowerCase(), args, rawArgs) };
  });
}

/** Cheap pre-filter for the webhook: does this comment contain a command line at all? */
export function mentionsCommand(body: string): boolean {
  return commandCandidates(body).length > 0;
}
