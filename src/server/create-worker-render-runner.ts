import { createRenderRunner } from '../adapters/render/create-render-runner.ts';
import type { RenderRunner } from '../usecases/ports/render-runner.ts';
import type { EnvConfig } from './read-env-config.ts';

/** Every credential the process holds: never printed by a render command, even unsandboxed. */
export function listConfiguredSecrets(config: EnvConfig): string[] {
  const secrets = [
    config.github?.privateKey,
    config.github?.webhookSecret,
    config.gitlab?.token,
    config.gitlab?.webhookSecret,
    config.dashboard?.password,
    ...(config.gitlab?.webhookSecrets?.values() ?? []),
  ];
  try {
    const password = new URL(config.redisUrl).password;
    if (password) secrets.push(decodeURIComponent(password));
  } catch {
    // validated already
  }
  return secrets.filter((s): s is string => Boolean(s));
}

/** The worker's render runner: the configured sandbox and allow-list, the process's secrets scrubbed. */
export function createWorkerRenderRunner(config: EnvConfig): RenderRunner {
  return createRenderRunner({ ...config.render, secrets: listConfiguredSecrets(config) });
}
