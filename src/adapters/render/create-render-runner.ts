import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REDACTED, scrubText } from '../../core/secrets/scrub-secrets.ts';
import type { RenderRequest, RenderRunner, RenderRunResult } from '../../usecases/ports/render-runner.ts';
import { buildSandboxArgv } from './build-sandbox-argv.ts';
import { probeSandbox } from './probe-sandbox.ts';
import {
  allowedProgramName,
  type ResolvedProgram,
  resolveAllowedProgram,
} from './resolve-allowed-program.ts';
import { runRenderCommand } from './run-render-command.ts';

/**
 * `bwrap`: every render command runs in the bubblewrap sandbox, and none runs where it cannot be
 * built. `auto`: the sandbox where it works, otherwise unsandboxed (the CLI on a developer's own
 * repository). `off`: the operator opted out; commands run with the worker's file system and network.
 */
export type RenderSandboxMode = 'bwrap' | 'auto' | 'off';

export interface RenderRunnerSettings {
  sandbox: RenderSandboxMode;
  /** Programs a render command may name: bare names looked up on `searchPath`, or absolute paths. */
  allow: readonly string[];
  /** The worker's PATH, where allowed programs are looked up. */
  searchPath: string;
  /** The bubblewrap binary (default `bwrap` on `searchPath`). */
  bwrap?: string;
  /** Values never to print (tokens, webhook secrets, passwords): scrubbed from stdout and stderr. */
  secrets?: readonly string[];
  /** Time between SIGTERM and SIGKILL when a command times out. */
  killGraceMs?: number;
  tempRoot?: string;
}

export const DEFAULT_RENDER_ALLOW = ['helm', 'kustomize', 'kubectl'];
export const SANDBOX_OPT_OUT = 'TOLLGATE_RENDER_SANDBOX=off';

/** The render runner of the worker and the CLI: allow-list, sandbox, limits, scrubbing. */
export function createRenderRunner(settings: RenderRunnerSettings): RenderRunner {
  const redact = redactorOf(settings.secrets ?? []);
  const bwrap = resolveBwrap(settings);
  return {
    async runRender(request) {
      const program = resolveAllowedProgram(request.argv[0], settings.allow, settings.searchPath);
      if (!program.ok) return refused(program.reason);
      let sandboxed = settings.sandbox !== 'off';
      if (sandboxed) {
        const probe = bwrap
          ? await probeSandbox(bwrap)
          : { ok: false as const, reason: 'bwrap is not installed' };
        if (!probe.ok) {
          if (settings.sandbox === 'bwrap') {
            return refused(
              `the render sandbox is not available (${probe.reason}); render commands run only inside it. Install bubblewrap and allow user namespaces (docs/operations.md), or set ${SANDBOX_OPT_OUT} to run them unsandboxed, with the worker's network and files`,
            );
          }
          sandboxed = false;
        }
      }
      const result = sandboxed
        ? await runSandboxed(bwrap!, program, request, settings)
        : await runUnsandboxed(program, request, settings);
      return {
        ...result,
        stdout: redact(result.stdout),
        stderrTail: scrubText(redact(result.stderrTail)),
        isolation: sandboxed ? 'sandbox' : 'unsandboxed',
      };
    },
  };
}

function resolveBwrap(settings: RenderRunnerSettings): string | undefined {
  if (settings.sandbox === 'off') return undefined;
  const found = resolveAllowedProgram('bwrap', [settings.bwrap ?? 'bwrap'], settings.searchPath);
  return found.ok ? found.path : undefined;
}

function refused(reason: string): RenderRunResult {
  return {
    stdout: '',
    exitCode: null,
    signal: null,
    timedOut: false,
    outputTooLarge: false,
    stderrTail: '',
    refused: reason,
  };
}

function companionsOf(settings: RenderRunnerSettings, program: string): string[] {
  return settings.allow
    .map((entry) => resolveAllowedProgram(allowedProgramName(entry), settings.allow, settings.searchPath))
    .flatMap((p) => (p.ok && p.path !== program ? [p.path] : []));
}

function runSandboxed(
  bwrap: string,
  program: Extract<ResolvedProgram, { ok: true }>,
  request: RenderRequest,
  settings: RenderRunnerSettings,
) {
  const argv = buildSandboxArgv({
    program: program.path,
    args: request.argv.slice(1),
    treeDir: request.treeDir,
    companions: companionsOf(settings, program.path),
  });
  return runRenderCommand([bwrap, ...argv], {
    cwd: '/',
    timeoutMs: request.timeoutMs,
    maxOutputBytes: request.maxOutputBytes,
    env: {},
    ...(settings.killGraceMs !== undefined ? { killGraceMs: settings.killGraceMs } : {}),
    ...(settings.tempRoot ? { tempRoot: settings.tempRoot } : {}),
  });
}

/** Opted out: still the allowed program only, a scrubbed environment and a throwaway copy. */
async function runUnsandboxed(
  program: Extract<ResolvedProgram, { ok: true }>,
  request: RenderRequest,
  settings: RenderRunnerSettings,
) {
  const copy = await mkdtemp(join(settings.tempRoot ?? tmpdir(), 'tollgate-render-'));
  try {
    await cp(request.treeDir, copy, { recursive: true });
    return await runRenderCommand([program.path, ...request.argv.slice(1)], {
      cwd: copy,
      timeoutMs: request.timeoutMs,
      maxOutputBytes: request.maxOutputBytes,
      env: { PATH: settings.searchPath },
      ...(settings.killGraceMs !== undefined ? { killGraceMs: settings.killGraceMs } : {}),
      ...(settings.tempRoot ? { tempRoot: settings.tempRoot } : {}),
    });
  } finally {
    await rm(copy, { recursive: true, force: true });
  }
}

/**
 * Known secret values (at least 6 characters) become `[redacted]`; so does every long line of a
 * multi-line one (a PEM key cut by the stderr tail). Stderr is scrubbed of recognisable
 * credentials as well; stdout is not (it is YAML, and `token: …` there is no credential).
 */
function redactorOf(secrets: readonly string[]): (text: string) => string {
  const lines = secrets.flatMap((s) =>
    s.includes('\n') ? s.split('\n').filter((l) => l.trim().length >= 16) : [],
  );
  const values = [...new Set([...secrets, ...lines].filter((s) => s.length >= 6))].sort(
    (a, b) => b.length - a.length,
  );
  return (text) => {
    let out = text;
    for (const value of values) out = out.split(value).join(REDACTED);
    return out;
  };
}
