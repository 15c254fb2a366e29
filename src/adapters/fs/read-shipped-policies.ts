import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseManifests } from '../../core/manifests/parse-manifests.ts';
import type { PolicyFile } from '../../core/policy/load-policies.ts';

/** Annotation of a shipped policy that is a template to copy and configure, not a default to apply. */
export const EMBEDDED_DEFAULT_ANNOTATION = 'tollgate.dev/embedded-default';

function isEmbeddedDefault(path: string, content: string): boolean {
  return parseManifests(path, content).manifests.every((m) => {
    const annotations = (m.object.metadata as { annotations?: Record<string, unknown> } | undefined)
      ?.annotations;
    return annotations?.[EMBEDDED_DEFAULT_ANNOTATION] !== 'false';
  });
}

/** The Tollgate installation: the nearest folder up from this module with a `policies/` folder. */
function findInstallationRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'policies')) && existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return resolve(start, '../../..');
  }
}

/** `policies/` of the Tollgate installation (found from src/adapters/fs/ and from dist/src/adapters/fs/ alike). */
export const SHIPPED_POLICIES_DIR = join(
  findInstallationRoot(dirname(fileURLToPath(import.meta.url))),
  'policies',
);

let cache: PolicyFile[] | undefined;

/**
 * The default Kyverno policies Tollgate ships, used for repositories without a policy folder of
 * their own. Paths are reported as `tollgate:policies/...` so a finding never points into the
 * reviewed repository for them. The `.kyverno-test/` folders (their golden tests) are skipped, and
 * so are templates annotated `tollgate.dev/embedded-default: "false"` (they need configuring).
 */
export function readShippedPolicies(dir = SHIPPED_POLICIES_DIR): PolicyFile[] {
  if (dir === SHIPPED_POLICIES_DIR && cache) return cache;
  const files: PolicyFile[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.ya?ml$/i.test(entry.name)) {
        const content = readFileSync(path, 'utf8');
        const shown = `tollgate:policies/${relative(dir, path)}`;
        if (isEmbeddedDefault(shown, content)) files.push({ path: shown, content });
      }
    }
  };
  try {
    walk(dir);
  } catch {
    return [];
  }
  files.sort((a, b) => a.path.localeCompare(b.path));
  if (dir === SHIPPED_POLICIES_DIR) cache = files;
  return files;
}
