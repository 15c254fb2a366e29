import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { type CliIO, EXIT_PASS } from '../cli-io.ts';
import { findPackageRoot } from '../find-package-root.ts';
import { runCheckCommand } from './check-command.ts';

const run = promisify(execFile);

const HELP = `usage: tollgate demo [--keep]

Builds a throwaway git repository from examples/cafe — a coffee/tea app on main, and a branch
'feature' that adds a tea service with a few mistakes — and runs 'tollgate check' on it, exactly as
the bot would on that merge request. No Redis, GitHub or GitLab needed. --keep leaves the repository.
`;

/** The newcomer's first command: the main job on embedded defaults, on a real local git repository. */
export async function runDemoCommand(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { keep: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help) {
    io.stdout(HELP);
    return EXIT_PASS;
  }
  const example = join(findPackageRoot(), 'examples', 'cafe');
  const repo = mkdtempSync(join(tmpdir(), 'tollgate-demo-'));
  const git = (...args: string[]) =>
    run('git', [
      '-C',
      repo,
      '-c',
      'user.email=demo@tollgate.invalid',
      '-c',
      'user.name=Tollgate demo',
      ...args,
    ]);
  try {
    await git('init', '-q', '-b', 'main');
    cpSync(join(example, 'base'), repo, { recursive: true });
    await git('add', '-A');
    await git('commit', '-qm', 'cafe: coffee behind the gateway');
    await git('checkout', '-qb', 'feature');
    cpSync(join(example, 'change'), repo, { recursive: true });
    await git('add', '-A');
    await git('commit', '-qm', 'cafe: add tea');
    io.stderr(
      `demo repository: ${repo} (${values.keep ? 'kept afterwards' : 'deleted afterwards; --keep keeps it to look around'})\nrunning: tollgate check --repo ${repo} --base main --head feature\n\n`,
    );
    return await runCheckCommand(['--repo', repo, '--base', 'main', '--head', 'feature'], io);
  } finally {
    if (!values.keep) rmSync(repo, { recursive: true, force: true });
  }
}
