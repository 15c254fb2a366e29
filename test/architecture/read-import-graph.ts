import { readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';

/** One `import`/`export ... from` of a source file, resolved to a path relative to the repository. */
export interface ImportEdge {
  from: string;
  to: string;
  /** `import type` / `export type`: erased at run time, still an arrow in the design. */
  typeOnly: boolean;
}

const SPECIFIER =
  /^\s*(import|export)(\s+type)?(?:[^'";]*?\sfrom\s+|\s*)['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm;

/** The relative imports of one file's source (comments are not stripped; the patterns are anchored). */
export function readImports(file: string, source: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const m of source.matchAll(SPECIFIER)) {
    const spec = m[3] ?? m[4];
    if (!spec?.startsWith('.')) continue;
    edges.push({
      from: file,
      to: posix.normalize(posix.join(posix.dirname(file), spec)),
      typeOnly: Boolean(m[2]),
    });
  }
  return edges;
}

function walk(root: string, dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const path = posix.join(dir, e.name);
    if (e.isDirectory()) return walk(root, path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

/** Every relative import between the files under `folders` of the repository at `root`. */
export function readImportGraph(root: string, folders: readonly string[]): ImportEdge[] {
  return folders.flatMap((folder) =>
    walk(root, folder).flatMap((file) => readImports(file, readFileSync(join(root, file), 'utf8'))),
  );
}

/** The folders whose imports the layers govern. */
export const READ_FOLDERS = ['src', 'workers'] as const;

/** The repository this test runs in. */
export const REPOSITORY_ROOT = new URL('../../', import.meta.url).pathname;
