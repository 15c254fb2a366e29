import { existsSync } from 'node:fs';
import { createLogger } from './create-logger.ts';
import { createRuntime, type Runtime } from './create-runtime.ts';
import { ConfigError, readEnvConfig } from './read-env-config.ts';

/**
 * Shared start-up of the entry points: validate the environment (a bad value stops the process
 * with one line, no stack trace), build the runtime, and shut down gracefully on SIGTERM/SIGINT
 * (a second signal stops at once).
 */
export async function runProcess(role: string, start: (runtime: Runtime) => Promise<void>): Promise<void> {
  let config: ReturnType<typeof readEnvConfig>;
  // `cp .env.example .env` is the documented start: read it (Node's own parser); variables set in
  // the real environment win, so a container's environment is never overridden by a stray file.
  const envFile = process.env.TOLLGATE_ENV_FILE || '.env';
  try {
    if (existsSync(envFile)) process.loadEnvFile(envFile);
    config = readEnvConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`tollgate ${role}: configuration error: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel).child({ role });
  const runtime = createRuntime(config, logger);
  try {
    await start(runtime);
  } catch (error) {
    logger.fatal({ err: error }, 'could not start');
    process.stderr.write(`tollgate ${role}: could not start: ${(error as Error).message}\n`);
    process.exit(1);
  }
  logger.info('started');
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: stopping now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal, timeoutMs: config.shutdownTimeoutMs }, 'shutting down');
    runtime.close().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
