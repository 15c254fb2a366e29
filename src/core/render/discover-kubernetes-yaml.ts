import { DEFAULT_PARSE_LIMITS, type ParseLimits, parseManifests } from '../manifests/parse-manifests.ts';
import { dirnameOf, type FileMap, isYamlFile } from './file-map.ts';
import { isKustomizeConfig, type RenderedManifests } from './render-plain-folder.ts';

const KUSTOMIZATION_NAMES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * Without `.tollgate.yml`: every Kubernetes document of the repository, as one environment. Skipped
 * without a word: YAML that is not Kubernetes (CI files, Helm values), Helm charts (folders with a
 * `Chart.yaml`) and templates (`{{`), kustomize folders (their resources are only meaningful once
 * built; declare the overlays as environments), hidden folders (`.github`...) and the policy folders.
 */
export function discoverKubernetesYaml(
  files: FileMap,
  options: { exclude?: readonly string[]; limits?: ParseLimits } = {},
): RenderedManifests {
  const limits = options.limits ?? DEFAULT_PARSE_LIMITS;
  const excluded = (options.exclude ?? []).map((p) => `${p.replace(/\/+$/, '')}/`);
  const skippedDirs: string[] = [];
  for (const path of files.keys()) {
    const name = baseName(path);
    if (name === 'Chart.yaml' || KUSTOMIZATION_NAMES.has(name)) {
      const dir = dirnameOf(path);
      skippedDirs.push(dir ? `${dir}/` : '');
    }
  }
  const out: RenderedManifests = { manifests: [], findings: [] };
  for (const path of [...files.keys()].sort()) {
    if (!isYamlFile(path) || KUSTOMIZATION_NAMES.has(baseName(path))) continue;
    if (path.split('/').some((part) => part.startsWith('.'))) continue;
    if (excluded.some((e) => path.startsWith(e))) continue;
    if (skippedDirs.some((d) => path.startsWith(d))) continue;
    const content = files.get(path)!;
    const text = typeof content === 'string' ? content : undefined;
    if (text?.includes('{{') || (typeof content !== 'string' && Buffer.from(content).includes('{{')))
      continue;
    const parsed = parseManifests(path, content, limits);
    out.manifests.push(...parsed.manifests.filter((m) => !isKustomizeConfig(m)));
    out.findings.push(...parsed.findings);
  }
  return out;
}
