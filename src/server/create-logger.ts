import pino, { type DestinationStream, type Logger } from 'pino';
import { scrubSecrets, scrubText } from '../core/secrets/scrub-secrets.ts';

/** Fields that may hold a credential or a Secret value, wherever they appear in a log line. */
export const REDACTED_PATHS = [
  'token',
  '*.token',
  'privateKey',
  '*.privateKey',
  'webhookSecret',
  '*.webhookSecret',
  'secret',
  '*.secret',
  'password',
  '*.password',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'headers["x-gitlab-token"]',
  'headers["private-token"]',
  'req.headers.authorization',
  'req.headers["x-gitlab-token"]',
  'req.headers["x-hub-signature-256"]',
  'data',
  'stringData',
  '*.data',
  '*.stringData',
];

/** Errors from octokit/gitbeaker carry their request (headers, URL): scrub whatever got through. */
function serializeError(error: unknown): unknown {
  return scrubSecrets(pino.stdSerializers.err(error as Error));
}

/**
 * JSON logs with credentials removed twice over: fixed paths are redacted by pino, and every log
 * object, error and message is scrubbed of secret-named keys, Secret data and token-shaped text.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'tollgate' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      serializers: { err: serializeError, error: serializeError },
      formatters: { log: (object) => scrubSecrets(object) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          const clean: unknown[] = args.map((arg) => (typeof arg === 'string' ? scrubText(arg) : arg));
          // `log.error(err)` takes its message from the error: give pino a scrubbed one instead.
          if (clean.length === 1 && clean[0] instanceof Error) clean.push(scrubText(clean[0].message));
          return method.apply(this, clean as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}
