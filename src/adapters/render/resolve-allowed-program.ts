import { accessSync, constants, realpathSync, statSync } from 'node:fs';
import { basename, delimiter, isAbsolute, join } from 'node:path';

export type ResolvedProgram = { ok: true; name: string; path: string } | { ok: false; reason: string };

/** The name a render command uses for an allow-list entry (`helm`, or `/opt/bin/helm` → `helm`). */
export function allowedProgramName(entry: string): string {
  return isAbsolute(entry) ? basename(entry) : entry;
}

/**
 * Finds the program a render command names in the operator's allow-list. The command gives a bare
 * name (`helm`); the entry is a name looked up on the worker's PATH (absolute folders only) or an
 * absolute path. A path from the repository (`./render.sh`, `bin/helm`) is never run.
 */
export function resolveAllowedProgram(
  name: string | undefined,
  allow: readonly string[],
  searchPath: string,
): ResolvedProgram {
  const allowed = allow.map(allowedProgramName).join(', ') || 'nothing';
  if (!name) return { ok: false, reason: 'the command is empty' };
  if (name.includes('/')) {
    return {
      ok: false,
      reason: `\`${name}\` is a path; a render command names a program the operator allowed (${allowed}), never a file of the repository`,
    };
  }
  const entry = allow.find((e) => allowedProgramName(e) === name);
  if (entry === undefined) {
    return {
      ok: false,
      reason: `\`${name}\` is not an allowed render program (allowed: ${allowed}; the operator sets TOLLGATE_RENDER_ALLOW)`,
    };
  }
  const candidates = isAbsolute(entry)
    ? [entry]
    : searchPath
        .split(delimiter)
        .filter((dir) => isAbsolute(dir))
        .map((dir) => join(dir, entry));
  for (const candidate of candidates) {
    try {
      const real = realpathSync(candidate);
      if (!statSync(real).isFile()) continue;
      accessSync(real, constants.X_OK);
      return { ok: true, name, path: real };
    } catch {
      // not here
    }
  }
  return { ok: false, reason: `\`${name}\` is allowed but was not found on the worker's PATH` };
}
