import { type ChildProcess, spawn } from 'node:child_process';

const root = new URL('../../', import.meta.url).pathname;

/** A worker process as `npm run worker` starts it, with `env` as its whole environment (plus PATH). */
export function spawnWorkerProcess(env: Record<string, string>): ChildProcess & { output: () => string } {
  const child = spawn(process.execPath, ['bin/run.js', 'workers/check-worker.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => {
    output += d;
  });
  child.stderr!.on('data', (d) => {
    output += d;
  });
  return Object.assign(child, { output: () => output });
}

/** `count` worker processes, resolved once each has logged that it started. */
export async function startWorkerProcesses(
  count: number,
  env: Record<string, string>,
): Promise<ReturnType<typeof spawnWorkerProcess>[]> {
  const workers = Array.from({ length: count }, () => spawnWorkerProcess(env));
  await Promise.all(
    workers.map((w) =>
      waitFor(
        'a worker process to start',
        () => (w.output().includes('"msg":"started"') ? true : undefined),
        45_000,
      ),
    ),
  );
  return workers;
}

/** SIGTERM, then SIGKILL if the process has not exited after `ms`. */
export async function stopProcess(child: ChildProcess, ms = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), ms);
  await exited;
  clearTimeout(timer);
}

/** Polls `probe` until it returns a value, or fails naming `what`. */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  ms = 20_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}
