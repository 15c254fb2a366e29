import { existsSync, lstatSync } from 'node:fs';
import { dirname } from 'node:path';

export interface SandboxArgvInput {
  /** The program to run, an absolute path on the host (bound read-only when outside /usr). */
  program: string;
  args: readonly string[];
  /** The pristine checkout: bound read-only at /src and copied into the writable /tree. */
  treeDir: string;
  /** Other allowed programs the command may call (kustomize → helm), bound read-only. */
  companions?: readonly string[];
  /** Size caps of the two writable tmpfs mounts (the tree copy, /tmp). */
  treeBytes?: number;
  tmpBytes?: number;
}

export const SANDBOX_TREE = '/tree';
const DEFAULT_TREE_BYTES = 1024 * 1024 * 1024;
const DEFAULT_TMP_BYTES = 256 * 1024 * 1024;
/** Folders of the host that the sandbox sees, read-only: programs and their libraries, nothing else. */
const SYSTEM_DIRS = ['/usr'];
const SYSTEM_LINKS = ['/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];

/**
 * The bubblewrap argv that runs `program args` isolated from the worker: every namespace unshared
 * (a network namespace with no route out, a pid namespace with its own /proc, a user namespace
 * mapping the caller to `nobody` with no capabilities), no inherited variables, the host's /usr
 * read-only, and as the only writable places a size-capped copy of the tree and a private /tmp,
 * both gone when it exits. The copy is made inside the sandbox by the host's /bin/sh and cp.
 */
export function buildSandboxArgv(input: SandboxArgvInput): string[] {
  const argv = [
    '--unshare-all',
    '--unshare-user',
    '--disable-userns',
    '--die-with-parent',
    '--new-session',
    '--cap-drop',
    'ALL',
    '--uid',
    '65534',
    '--gid',
    '65534',
    '--hostname',
    'tollgate-render',
  ];
  for (const dir of SYSTEM_DIRS) argv.push('--ro-bind', dir, dir);
  for (const link of SYSTEM_LINKS) {
    if (!existsSync(link)) continue;
    const stat = lstatSync(link);
    if (stat.isSymbolicLink()) argv.push('--symlink', `usr${link}`, link);
    else argv.push('--ro-bind', link, link);
  }
  const bound = new Set<string>();
  const pathDirs: string[] = [];
  for (const program of [input.program, ...(input.companions ?? [])]) {
    if (!program.startsWith('/usr/') && !bound.has(program)) {
      argv.push('--ro-bind', program, program);
      bound.add(program);
    }
    const dir = dirname(program);
    if (!pathDirs.includes(dir)) pathDirs.push(dir);
  }
  for (const dir of ['/usr/local/bin', '/usr/bin', '/bin']) if (!pathDirs.includes(dir)) pathDirs.push(dir);
  argv.push(
    '--proc',
    '/proc',
    '--dev',
    '/dev',
    '--size',
    String(input.tmpBytes ?? DEFAULT_TMP_BYTES),
    '--tmpfs',
    '/tmp',
    '--ro-bind',
    input.treeDir,
    '/src',
    '--size',
    String(input.treeBytes ?? DEFAULT_TREE_BYTES),
    '--tmpfs',
    SANDBOX_TREE,
    '--chdir',
    SANDBOX_TREE,
    '--clearenv',
    '--setenv',
    'PATH',
    pathDirs.join(':'),
    '--setenv',
    'HOME',
    '/tmp',
    '--setenv',
    'TMPDIR',
    '/tmp',
    '--setenv',
    'LANG',
    'C.UTF-8',
    '--',
    '/bin/sh',
    '-c',
    `cp -R /src/. ${SANDBOX_TREE}/ && exec "$@"`,
    'tollgate-render',
    input.program,
    ...input.args,
  );
  return argv;
}
