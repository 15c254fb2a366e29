import type { Finding } from '../findings/finding.ts';
import {
  DEFAULT_PARSE_LIMITS,
  type Manifest,
  type ParseLimits,
  parseManifests,
} from '../manifests/parse-manifests.ts';
import { buildRenderFinding } from './build-render-finding.ts';
import { dirnameOf, type FileMap, isYamlFile, listFilesUnder } from './file-map.ts';

export interface RenderedManifests {
  manifests: Manifest[];
  findings: Finding[];
}

/** Kustomize's own files are configuration of a renderer, not objects of the cluster. */
export function isKustomizeConfig(manifest: Manifest): boolean {
  return manifest.identity.group === 'kustomize.config.k8s.io';
}

/** A finding that something of the tree was seen but not rendered (so not checked); not blocking. */
export function notRenderedFinding(rule: string, title: string, message: string, file: string): Finding {
  return {
    ...buildRenderFinding(rule, title, message, { file }),
    severity: 'warning',
    blocking: false,
    remedy:
      'Declare the environment in .tollgate.yml so that it is rendered (`kustomize:` with `renderer: kustomize`, or `command:` for a chart), or accept that these objects are not checked.',
  };
}

/** Folders of Helm charts (holding a `Chart.yaml`) in a file list: templates, not manifests. */
export function chartFolders(paths: Iterable<string>): string[] {
  const out: string[] = [];
  for (const path of paths)
    if (path === 'Chart.yaml' || path.endsWith('/Chart.yaml')) out.push(dirnameOf(path));
  return out.sort();
}

/**
 * A folder of plain YAML, read recursively (only its own files with `recurse: false`, as Argo
 * CD reads a directory by default): every document with `apiVersion` + `kind` is a resource
 * (`kind: List` expanded); other documents are ignored; malformed files become findings. A Helm
 * chart inside (a folder with `Chart.yaml`) is not read as YAML (its templates are not
 * manifests): a warning says it is not rendered.
 */
export function renderPlainFolder(
  files: FileMap,
  folder: string,
  limits: ParseLimits = DEFAULT_PARSE_LIMITS,
  options: { recurse?: boolean } = {},
): RenderedManifests {
  const out: RenderedManifests = { manifests: [], findings: [] };
  const inside = listFilesUnder(files, folder);
  const charts = chartFolders(inside);
  for (const chart of charts)
    out.findings.push(
      notRenderedFinding(
        'render-chart-not-rendered',
        `Helm chart ${chart} is not rendered`,
        `${chart} is a Helm chart (it has Chart.yaml): its templates are not read as manifests, so its objects are not checked.`,
        `${chart}/Chart.yaml`,
      ),
    );
  const prefix = folder === '' || folder === '.' ? '' : `${folder}/`;
  for (const path of inside) {
    if (!isYamlFile(path)) continue;
    if (options.recurse === false && path.slice(prefix.length).includes('/')) continue;
    if (charts.some((c) => path.startsWith(c ? `${c}/` : ''))) continue;
    const parsed = parseManifests(path, files.get(path)!, limits);
    out.manifests.push(...parsed.manifests.filter((m) => !isKustomizeConfig(m)));
    out.findings.push(...parsed.findings);
  }
  return out;
}
