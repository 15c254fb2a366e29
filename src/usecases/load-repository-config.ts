import { parseTollgateConfig } from '../core/config/parse-tollgate-config.ts';
import { DEFAULT_CONFIG, type TollgateConfig } from '../core/config/tollgate-config.ts';
import type { Finding } from '../core/findings/finding.ts';
import type { SourceTree } from './ports/source-tree.ts';

export const CONFIG_FILES = ['.tollgate.yml', '.tollgate.yaml'];

export interface RepositoryConfig {
  config: TollgateConfig;
  /** The file it came from; undefined when the defaults apply. */
  file?: string;
  /** Configuration errors (the defaults apply then, and the errors are reported). */
  findings: Finding[];
}

/**
 * Reads `.tollgate.yml` from the given tree — the merge request's BASE, so a merge request cannot
 * loosen the rules that judge it. An invalid file is reported, and the defaults apply meanwhile.
 */
export async function loadRepositoryConfig(tree: SourceTree): Promise<RepositoryConfig> {
  for (const file of CONFIG_FILES) {
    const bytes = await tree.readFile(file);
    if (!bytes) continue;
    const parsed = parseTollgateConfig(Buffer.from(bytes).toString('utf8'), file);
    return { config: parsed.config ?? DEFAULT_CONFIG, file, findings: parsed.findings };
  }
  return { config: DEFAULT_CONFIG, findings: [] };
}
