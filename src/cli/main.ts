import { didYouMean } from '../core/text/suggest-closest.ts';
import { ConfigError, readSecretFiles } from '../server/read-env-config.ts';
import type { CliIO } from './cli-io.ts';
import { EXIT_PASS, EXIT_USAGE, UsageError } from './cli-io.ts';
import { findPackageRoot, readPackageJson } from './find-package-root.ts';

type Command = (argv: string[], io: CliIO) => Promise<number>;

/** Each command lives in its own module, loaded only when it runs. */
const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  check: {
    summary: 'review the change between two refs of a local git repository (what the bot runs)',
    load: async () => (await import('./commands/check-command.ts')).runCheckCommand,
  },
  demo: {
    summary: 'run check on a throwaway example repository (coffee/tea app with a few mistakes)',
    load: async () => (await import('./commands/demo-command.ts')).runDemoCommand,
  },
  diff: {
    summary: 'show what a change does to each environment, as Kubernetes objects (and drift between them)',
    load: async () => (await import('./commands/diff-command.ts')).runDiffCommand,
  },
  test: {
    summary: 'run Kyverno CLI test manifests (kyverno-test.yaml) with the policy engine',
    load: async () => (await import('./commands/test-command.ts')).runTestCommand,
  },
  routes: {
    summary: 'find Gateway API / Ingress route conflicts in YAML files (duplicate matches, dead attachments)',
    load: async () => (await import('./commands/routes-command.ts')).runRoutesCommand,
  },
  audit: {
    summary: 'print the chat-ops audit record (rollbacks, locks, overrides) from Redis',
    load: async () => (await import('./commands/audit-command.ts')).runAuditCommand,
  },
  doctor: {
    summary: "check the repository's branch protection (and fix it with --apply)",
    load: async () => (await import('./commands/doctor-command.ts')).runDoctorCommand,
  },
  lint: {
    summary: 'run the YAML checks alone on files or directories (fast; for pre-commit hooks)',
    load: async () => (await import('./commands/lint-command.ts')).runLintCommand,
  },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `usage: tollgate <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nRun 'tollgate <command> --help' for a command's options, 'tollgate --version' for the version.\n`;
}

/** The flags a command's --help lists: the candidates for "did you mean" on an unknown option. */
async function listCommandFlags(command: Command, io: CliIO): Promise<string[]> {
  let help = '';
  await command(['--help'], { ...io, stdout: (t) => (help += t), stderr: () => {} }).catch(() => 0);
  return [...new Set(help.match(/--[a-z][a-z-]*/g) ?? [])];
}

/** `Unknown option '--kep'. …` → the one-line error with the closest known flag. */
async function explainParseError(error: Error & { code?: string }, command: Command, io: CliIO) {
  const unknown =
    error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /'(-{1,2}[^']+)'/.exec(error.message) : null;
  if (!unknown) return error.message;
  const flag = unknown[1]!;
  const hint = didYouMean(flag, await listCommandFlags(command, io));
  return `unknown option '${flag}'${hint}; --help lists the options`;
}

export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage());
    return name ? 0 : EXIT_USAGE;
  }
  if (name === '--version' || name === '-v' || name === 'version') {
    io.stdout(`tollgate ${readPackageJson(findPackageRoot()).version}\n`);
    return EXIT_PASS;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    io.stderr(`tollgate: unknown command '${name}'${didYouMean(name, Object.keys(COMMANDS))}\n\n${usage()}`);
    return EXIT_USAGE;
  }
  const run = await command.load();
  try {
    // Tokens may come from files (GITHUB_TOKEN_FILE, GITLAB_TOKEN_FILE, REDIS_PASSWORD_FILE...).
    const env = readSecretFiles(io.env);
    return await run(rest, { ...io, env });
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError) {
      io.stderr(`tollgate ${name}: ${error.message}\n`);
      return EXIT_USAGE;
    }
    if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`tollgate ${name}: ${await explainParseError(error as Error, run, io)}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}

const isEntryPoint = process.argv[1]?.endsWith('tollgate.js') || process.argv[1]?.endsWith('run.js');
if (isEntryPoint) {
  const io: CliIO = {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    cwd: process.cwd(),
    env: process.env,
  };
  runCli(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`tollgate: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = EXIT_USAGE;
    },
  );
}
