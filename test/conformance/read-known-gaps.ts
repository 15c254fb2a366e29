import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';

/** A known-gaps file (`gaps: [{case, reason}]`) as case → reason; empty without a file. */
export async function readKnownGaps(file: string | undefined): Promise<Map<string, string>> {
  const gaps = new Map<string, string>();
  if (!file) return gaps;
  const doc = parseYaml(await readFile(file, 'utf8')) as { gaps?: { case: string; reason: string }[] };
  for (const g of doc?.gaps ?? []) gaps.set(g.case, g.reason);
  return gaps;
}
