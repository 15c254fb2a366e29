import { structuredPatch } from 'diff';
import { stringify } from 'yaml';
import { isPlainObject } from '../render/apply-strategic-merge-patch.ts';

type JsonObject = Record<string, unknown>;

/** `before` with its map keys in the order `after` has them (so key order never shows as a change). */
function alignKeyOrder(before: unknown, after: unknown): unknown {
  if (Array.isArray(before) && Array.isArray(after))
    return before.map((item, i) => alignKeyOrder(item, after[i]));
  if (!isPlainObject(before) || !isPlainObject(after)) return before;
  const out: JsonObject = {};
  for (const key of Object.keys(after))
    if (Object.hasOwn(before, key)) out[key] = alignKeyOrder(before[key], after[key]);
  for (const key of Object.keys(before)) if (!Object.hasOwn(out, key)) out[key] = before[key];
  return out;
}

function toYaml(object: JsonObject | undefined): string {
  return object ? stringify(object, { lineWidth: 0, aliasDuplicateObjects: false }) : '';
}

/**
 * A unified diff (hunks only, no file headers) of two versions of an object as YAML; either side
 * may be absent (added/removed object). The objects must already be cleaned of noise and secrets.
 */
export function formatUnifiedYamlDiff(
  before: JsonObject | undefined,
  after: JsonObject | undefined,
  context = 3,
): string {
  const oldText = toYaml(before && after ? (alignKeyOrder(before, after) as JsonObject) : before);
  const newText = toYaml(after);
  const patch = structuredPatch('before', 'after', oldText, newText, '', '', { context });
  const lines: string[] = [];
  for (const hunk of patch.hunks) {
    lines.push(`@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`);
    for (const line of hunk.lines) if (!line.startsWith('\\')) lines.push(line);
  }
  return lines.join('\n');
}
