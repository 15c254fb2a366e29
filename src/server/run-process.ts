import { ConfigError, readEnvConfig } from '../config/read-env-config.ts';
import { createLogger } from './create-logger.ts';
import { createRuntime, type Runtime } from './create-runtime.ts';

/**
 * Shared start-up of the entry points: validate the environment (a bad value stops the process
 * with one line, no stack trace), build the runtime, and shut down gracefully on SIGTERM/SIGINT.
 */
export async function runProcess(role: string, start: (runtime: Runtime) => Promise<void>): Promise<void> {
  let config: ReturnType<typeof readEnvConfig>;
  try {
    config = readEnvConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`tollgate ${role}: configuration error: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  const runtime = createRuntime(config, logger);
  await start(runtime);
  logger.info({ role }, 'started');
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    runtime.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
