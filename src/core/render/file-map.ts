/** A tree of files in memory: repository-relative path (forward slashes) → content. */
export type FileMap = ReadonlyMap<string, string | Uint8Array>;

/** `a/./b/../c` → `a/c`; undefined when the path climbs out of the repository. */
export function normalizeRepoPath(path: string): string | undefined {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length === 0) return undefined;
      out.pop();
    } else out.push(part);
  }
  return out.join('/');
}

/** `dir` joined with a relative `path`, normalised; undefined when it leaves the repository. */
export function joinRepoPath(dir: string, path: string): string | undefined {
  return normalizeRepoPath(dir && dir !== '.' ? `${dir}/${path}` : path);
}

export function dirnameOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

/** Files under `folder` (recursively; `''` or `.` is the whole tree), sorted. */
export function listFilesUnder(files: FileMap, folder: string): string[] {
  const prefix = folder === '' || folder === '.' ? '' : `${folder}/`;
  return [...files.keys()].filter((p) => p.startsWith(prefix)).sort();
}

/** True when `folder` holds at least one file. */
export function isFolder(files: FileMap, folder: string): boolean {
  const prefix = folder === '' || folder === '.' ? '' : `${folder}/`;
  for (const p of files.keys()) if (p.startsWith(prefix)) return true;
  return false;
}

/** The file as UTF-8 text, or undefined when absent. */
export function readText(files: FileMap, path: string): string | undefined {
  const content = files.get(path);
  if (content === undefined) return undefined;
  return typeof content === 'string' ? content : Buffer.from(content).toString('utf8');
}

export function isYamlFile(path: string): boolean {
  return /\.ya?ml$/i.test(path);
}
