import type { Finding } from '../findings/finding.ts';
import { DEFAULT_PARSE_LIMITS, type ParseLimits, parseManifests } from '../manifests/parse-manifests.ts';

export interface TextFile {
  path: string;
  content: string | Uint8Array;
}

export function isYamlPath(path: string): boolean {
  return /\.ya?ml$/i.test(path);
}

/** The first check every change gets: each YAML file must parse (syntax, duplicate keys, limits). */
export function checkYamlFiles(
  files: readonly TextFile[],
  limits: ParseLimits = DEFAULT_PARSE_LIMITS,
): Finding[] {
  return files
    .filter((f) => isYamlPath(f.path))
    .flatMap((f) => parseManifests(f.path, f.content, limits).findings);
}
