import { createRenderRunner } from '../adapters/render/create-render-runner.ts';
import { ConfigError, readRenderSettings } from '../server/read-env-config.ts';
import type { RenderRunner } from '../usecases/ports/render-runner.ts';
import { type CliIO, UsageError } from './cli-io.ts';

/** Tokens the CLI may find in its environment: never printed by a render command. */
const SECRET_VARIABLES = ['GITHUB_TOKEN', 'GITLAB_TOKEN', 'GH_TOKEN', 'CI_JOB_TOKEN'];

/**
 * The CLI's render runner: the sandbox where bubblewrap works (`auto`, unless
 * TOLLGATE_RENDER_SANDBOX says otherwise), the same allow-list as the worker.
 */
export function createCliRenderRunner(io: CliIO): RenderRunner {
  try {
    const settings = readRenderSettings(io.env, 'auto');
    const secrets = SECRET_VARIABLES.map((name) => io.env[name]).filter((v): v is string => Boolean(v));
    return createRenderRunner({ ...settings, secrets });
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
}
