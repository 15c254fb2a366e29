import type { Finding } from '../findings/finding.ts';

/** `.tollgate.yml` `blocking` decides which checks may block: the others report, but never block. */
export function applyBlockingChecks(
  findings: readonly Finding[],
  blockingChecks: readonly string[],
): Finding[] {
  const blocking = new Set(blockingChecks);
  return findings.map((f) =>
    f.blocking && !blocking.has(f.check)
      ? {
          ...f,
          blocking: false,
          remedy: `${f.remedy ?? ''} (The ${f.check} check is configured not to block.)`.trim(),
        }
      : f,
  );
}
