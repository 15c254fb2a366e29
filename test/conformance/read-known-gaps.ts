import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';

/** A conformance known-gaps file (`gaps: [{case, reason}]`) as case → reason; every entry needs a reason. */
export async function readKnownGaps(file: string | undefined): Promise<Map<string, string>> {
  const gaps = new Map<string, string>();
  if (!file) return gaps;
  const doc = parseYaml(await readFile(file, 'utf8')) as { gaps?: { case: string; reason?: string }[] };
  for (const g of doc?.gaps ?? []) {
    if (!g.reason?.trim()) throw new Error(`${file}: known gap ${g.case} has no reason`);
    gaps.set(g.case, g.reason);
  }
  return gaps;
}
