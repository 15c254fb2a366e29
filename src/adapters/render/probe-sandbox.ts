import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSandboxArgv } from './build-sandbox-argv.ts';

export type SandboxProbe = { ok: true } | { ok: false; reason: string };

const probes = new Map<string, Promise<SandboxProbe>>();

/**
 * Whether bubblewrap can build the render sandbox here (installed, user namespaces allowed, a fresh
 * /proc mountable): runs `/bin/true` in the very sandbox a render gets. Asked once per process.
 */
export function probeSandbox(bwrap: string): Promise<SandboxProbe> {
  let probe = probes.get(bwrap);
  if (!probe) {
    probe = runProbe(bwrap);
    probes.set(bwrap, probe);
  }
  return probe;
}

async function runProbe(bwrap: string): Promise<SandboxProbe> {
  const dir = await mkdtemp(join(tmpdir(), 'tollgate-probe-'));
  try {
    return await new Promise<SandboxProbe>((resolve) => {
      let stderr = '';
      const child = spawn(bwrap, buildSandboxArgv({ program: '/bin/true', args: [], treeDir: dir }), {
        env: {},
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.stderr.on('data', (chunk: Buffer) => {
        stderr = (stderr + chunk.toString('utf8')).slice(-2000);
      });
      child.on('error', (error) => {
        clearTimeout(timer);
        resolve({ ok: false, reason: `${bwrap} could not be started (${error.message})` });
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        if (code === 0) resolve({ ok: true });
        else
          resolve({
            ok: false,
            reason: `${bwrap} failed (${signal ?? `exit ${code}`}): ${stderr.trim() || 'no message'}`,
          });
      });
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
