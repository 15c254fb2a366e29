import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RenderRunResult } from '../../usecases/ports/render-runner.ts';

export interface RenderCommandOptions {
  /** Working directory: the materialised tree. */
  cwd: string;
  timeoutMs: number;
  /** Stdout beyond this stops the command. */
  maxOutputBytes: number;
  /** The only variables passed on: PATH and LANG (HOME is a fresh temporary folder). */
  env: { PATH?: string | undefined; LANG?: string | undefined };
  /** Time between SIGTERM and SIGKILL at timeout. */
  killGraceMs?: number;
  tempRoot?: string;
}

/** What one process did (the port's result without the runner's own `refused` and `isolation`). */
export type RenderCommandResult = Omit<RenderRunResult, 'refused' | 'isolation'>;

const STDERR_KEEP = 64 * 1024;

/**
 * Runs a render command (argv, no shell) in its own process group with a scrubbed environment
 * (PATH, LANG, HOME = an empty temporary folder: no tokens or credentials of the caller). At the
 * timeout the whole group gets SIGTERM, then SIGKILL; stdout is capped. Never throws for the
 * command's own failures: they are reported in the result.
 */
export async function runRenderCommand(
  argv: readonly string[],
  options: RenderCommandOptions,
): Promise<RenderCommandResult> {
  const home = await mkdtemp(join(options.tempRoot ?? tmpdir(), 'tollgate-home-'));
  try {
    return await run(argv, options, home);
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

function run(
  argv: readonly string[],
  options: RenderCommandOptions,
  home: string,
): Promise<RenderCommandResult> {
  return new Promise((resolve) => {
    const env: Record<string, string> = { HOME: home, LANG: options.env.LANG ?? 'C.UTF-8' };
    if (options.env.PATH) env.PATH = options.env.PATH;
    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    let stderr = '';
    let timedOut = false;
    let outputTooLarge = false;
    let settled = false;
    let killTimer: NodeJS.Timeout | undefined;
    let forceTimer: NodeJS.Timeout | undefined;
    const child = spawn(argv[0]!, argv.slice(1), {
      cwd: options.cwd,
      env,
      detached: true,
      shell: false,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const killGroup = (signal: NodeJS.Signals) => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    };
    const stop = () => {
      killGroup('SIGTERM');
      killTimer ??= setTimeout(() => {
        killGroup('SIGKILL');
        // Grandchildren holding the pipes open must not keep us waiting.
        forceTimer = setTimeout(() => finish(null, 'SIGKILL'), 1000);
      }, options.killGraceMs ?? 2000);
    };
    const finish = (code: number | null, signal: string | null, spawnError?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timeout);
      clearTimeout(killTimer);
      clearTimeout(forceTimer);
      killGroup('SIGKILL'); // leftovers of the group, if any
      resolve({
        stdout: Buffer.concat(stdout).toString('utf8'),
        exitCode: code,
        signal,
        timedOut,
        outputTooLarge,
        stderrTail: stderr
          .split('\n')
          .filter((l, i, all) => l !== '' || i < all.length - 1)
          .slice(-20)
          .join('\n'),
        ...(spawnError ? { spawnError } : {}),
      });
    };
    const timeout = setTimeout(() => {
      timedOut = true;
      stop();
    }, options.timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      if (outputTooLarge) return;
      if (stdoutBytes + chunk.length > options.maxOutputBytes) {
        outputTooLarge = true;
        stdout.push(chunk.subarray(0, options.maxOutputBytes - stdoutBytes));
        stdoutBytes = options.maxOutputBytes;
        stop();
        return;
      }
      stdout.push(chunk);
      stdoutBytes += chunk.length;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_KEEP);
    });
    child.on('error', (error) => finish(null, null, error.message));
    child.on('close', (code, signal) => finish(code, signal));
  });
}
