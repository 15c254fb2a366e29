import type { Finding } from '../findings/finding.ts';
import { buildRenderFinding } from './build-render-finding.ts';

/**
 * A blocking `render` finding for a key or path segment (`__proto__`, `constructor`, `prototype`)
 * that Tollgate refuses to walk: the rest of the environment still renders without it.
 */
export function buildUnsafeKeyFinding(file: string, line: number | undefined, what: string): Finding {
  return buildRenderFinding(
    'unsafe-key',
    `Key refused in ${file}`,
    `${file}:${line ?? 1}: ${what} would reach an object's prototype; it was not applied.`,
    { file, line },
  );
}
