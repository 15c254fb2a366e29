import type { Logger } from 'pino';
import { createLogger } from '../../src/server/create-logger.ts';

/** A real pino logger writing into memory: `lines()` are the parsed JSON log lines, `raw()` the bytes. */
export function captureLogs(level = 'debug'): {
  logger: Logger;
  lines: () => Record<string, unknown>[];
  raw: () => string;
} {
  let text = '';
  const logger = createLogger(level, {
    write(chunk: string) {
      text += chunk;
    },
  });
  return {
    logger,
    raw: () => text,
    lines: () =>
      text
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
