import { DEFAULT_PARSE_LIMITS, type ParseLimits, parseManifests } from '../manifests/parse-manifests.ts';
import { dirnameOf, type FileMap, isYamlFile } from './file-map.ts';
import { isKustomizeConfig, notRenderedFinding, type RenderedManifests } from './render-plain-folder.ts';

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
  options: { exclude?: readonly string[]; limits?: ParseLimits; reportKustomizations?: boolean } = {},
): RenderedManifests {
  const limits = options.limits ?? DEFAULT_PARSE_LIMITS;
  const excluded = (options.exclude ?? []).map((p) => `${p.replace(/\/+$/, '')}/`);
  const skippedDirs: string[] = [];
  const out: RenderedManifests = { manifests: [], findings: [] };
  const hidden = (path: string) =>
    path.split('/').some((part) => part.startsWith('.')) || excluded.some((e) => path.startsWith(e));
  const kustomizations: string[] = [];
  for (const path of [...files.keys()].sort()) {
    const name = baseName(path);
    if (name === 'Chart.yaml' || KUSTOMIZATION_NAMES.has(name)) {
      const dir = dirnameOf(path);
      skippedDirs.push(dir ? `${dir}/` : '');
      if (hidden(path)) continue;
      if (name === 'Chart.yaml')
        out.findings.push(
          notRenderedFinding(
            'render-chart-not-rendered',
            `Helm chart ${dir || '.'} is not rendered`,
            `${dir || '.'} is a Helm chart (it has Chart.yaml): its templates are not read as manifests, so its objects are not checked.`,
            path,
          ),
        );
      else kustomizations.push(dir || '.');
    }
  }
  if (options.reportKustomizations && kustomizations.length > 0)
    out.findings.push(
      notRenderedFinding(
        'render-kustomize-not-rendered',
        `${kustomizations.length} kustomization${kustomizations.length > 1 ? 's are' : ' is'} not rendered`,
        `No environment renders ${kustomizations.map((k) => `\`${k}\``).join(', ')}: the repository declares no environments and follows none of the layouts Tollgate discovers (overlays/<env>, Flux clusters/<env>, Argo CD Applications), so their objects are not checked.`,
        `${kustomizations[0] === '.' ? '' : `${kustomizations[0]}/`}kustomization.yaml`,
      ),
    );
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
    for (const m of parsed.manifests.filter((m) => !isKustomizeConfig(m))) {
      out.manifests.push(m);
      const kind = m.identity.kind;
      if (
        (kind === 'HelmRelease' && m.identity.group.endsWith('fluxcd.io')) ||
        (m.identity.group === 'argoproj.io' && (kind === 'Application' || kind === 'ApplicationSet'))
      )
        out.findings.push(
          notRenderedFinding(
            'render-gitops-not-rendered',
            `${kind} ${m.identity.name} is not rendered`,
            `${m.file}:${m.line}: ${kind} \`${m.identity.name}\` is checked as an object, but what it deploys is not rendered here, so those objects are not checked.`,
            m.file,
          ),
        );
    }
    out.findings.push(...parsed.findings);
  }
  return out;
}
