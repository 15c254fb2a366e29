import type { Finding } from '../findings/finding.ts';
import {
  DEFAULT_PARSE_LIMITS,
  type Manifest,
  type ParseLimits,
  parseManifests,
} from '../manifests/parse-manifests.ts';
import { type FileMap, isYamlFile, listFilesUnder } from './file-map.ts';

export interface RenderedManifests {
  manifests: Manifest[];
  findings: Finding[];
}

/** Kustomize's own files are configuration of a renderer, not objects of the cluster. */
export function isKustomizeConfig(manifest: Manifest): boolean {
  return manifest.identity.group === 'kustomize.config.k8s.io';
}

/**
 * A folder of plain YAML, read recursively: every document with `apiVersion` + `kind` is a
 * resource (`kind: List` expanded); other documents are ignored; malformed files become findings.
 */
export function renderPlainFolder(
  files: FileMap,
  folder: string,
  limits: ParseLimits = DEFAULT_PARSE_LIMITS,
): RenderedManifests {
  const out: RenderedManifests = { manifests: [], findings: [] };
  for (const path of listFilesUnder(files, folder)) {
    if (!isYamlFile(path)) continue;
    const parsed = parseManifests(path, files.get(path)!, limits);
    out.manifests.push(...parsed.manifests.filter((m) => !isKustomizeConfig(m)));
    out.findings.push(...parsed.findings);
  }
  return out;
}
