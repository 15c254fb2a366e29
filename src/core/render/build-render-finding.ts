import type { Finding } from '../findings/finding.ts';

/** A blocking `render` finding: something of an environment could not be rendered. */
export function buildRenderFinding(
  rule: string,
  title: string,
  message: string,
  location?: { file: string; line?: number | undefined },
  environment?: string,
): Finding {
  return {
    check: 'render',
    rule,
    severity: 'error',
    blocking: true,
    title,
    message,
    remedy: 'Fix the input so the environment renders; the rest of the environment was still rendered.',
    ...(location
      ? { location: location.line ? { file: location.file, line: location.line } : { file: location.file } }
      : {}),
    ...(environment ? { environment } : {}),
  };
}
