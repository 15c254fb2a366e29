import type { Finding } from '../findings/finding.ts';

/** Checks whose blocking findings get a discussion on the changed line (GitLab). */
export const THREAD_CHECKS: readonly string[] = ['policy', 'routes'];

/** One finding as a line discussion: the same finding in several environments is one thread. */
export interface FindingThread {
  /** Stable across runs while the finding stands (check, rule, file, objects, message). */
  key: string;
  file: string;
  line: number;
  title: string;
  body: string;
}

export const FINDING_THREAD_MARKER_PREFIX = '<!-- tollgate:finding:';

/** The hidden marker a thread's first note starts with. */
export function findingThreadMarker(key: string): string {
  return `${FINDING_THREAD_MARKER_PREFIX}${key} -->`;
}

/** The key in a note body, when the note is one of Tollgate's finding threads. */
export function readFindingThreadKey(body: string): string | undefined {
  return /<!-- tollgate:finding:([0-9a-f]{16}) -->/.exec(body)?.[1];
}

/** FNV-1a 64-bit, hex: a short stable key (not a security boundary; collisions only merge threads). */
function hashKey(text: string): string {
  let hash = 0xcbf29ce484222325n;
  const bytes = new TextEncoder().encode(text);
  for (const byte of bytes) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}

function identity(f: Finding): string {
  return [f.check, f.rule, f.location?.file, [...(f.objects ?? [])].sort().join(','), f.message].join('|');
}

/**
 * The blocking policy and route findings that sit on a line of a file this merge request adds or
 * modifies, one thread per finding (environments merged), in file and line order.
 */
export function selectFindingThreads(
  findings: readonly Finding[],
  changedPaths: ReadonlySet<string>,
): FindingThread[] {
  const byKey = new Map<string, { finding: Finding; environments: string[] }>();
  for (const f of findings) {
    const file = f.location?.file;
    if (!f.blocking || !THREAD_CHECKS.includes(f.check) || !file || !f.location?.line) continue;
    if (!changedPaths.has(file)) continue;
    const key = hashKey(identity(f));
    const entry = byKey.get(key) ?? { finding: f, environments: [] };
    if (f.environment && !entry.environments.includes(f.environment)) entry.environments.push(f.environment);
    byKey.set(key, entry);
  }
  return [...byKey.entries()]
    .map(([key, { finding: f, environments }]) => ({
      key,
      file: f.location!.file,
      line: f.location!.line!,
      title: f.title,
      body: [
        findingThreadMarker(key),
        `🚫 **Tollgate: ${f.title}** (\`${f.check}\` · \`${f.rule}\`${environments.length ? ` · ${environments.map((e) => `\`${e}\``).join(', ')}` : ''})`,
        '',
        f.message,
        ...(f.remedy ? ['', `**What to do:** ${f.remedy}`] : []),
        '',
        '<sub>This thread is resolved automatically when a push fixes it.</sub>',
      ].join('\n'),
    }))
    .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.key.localeCompare(b.key));
}
