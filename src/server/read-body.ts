import type { IncomingMessage } from 'node:http';

export class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError';
}

export class BodyTimeoutError extends Error {
  override name = 'BodyTimeoutError';
}

/** GitHub caps webhook payloads at 25 MB; GitLab's are smaller. Anything larger is refused unread. */
export const MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;
/** A body still arriving after this is dropped (a slow sender must not hold a read slot). */
export const BODY_TIMEOUT_MS = 30_000;

export function readBody(
  request: IncomingMessage,
  limit = MAX_WEBHOOK_BYTES,
  timeoutMs = BODY_TIMEOUT_MS,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new BodyTimeoutError(`payload not received within ${timeoutMs / 1000} s`));
      request.destroy();
    }, timeoutMs);
    request.once('close', () => clearTimeout(timer));
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > limit) {
      clearTimeout(timer);
      reject(new BodyTooLargeError(`payload of ${declared} bytes exceeds ${limit}`));
      request.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLargeError(`payload exceeds ${limit} bytes`));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
    request.on('error', reject);
  });
}
