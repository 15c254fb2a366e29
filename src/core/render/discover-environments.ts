import { DISCOVERED_ENVIRONMENT, type EnvironmentConfig } from '../config/tollgate-config.ts';
import { parseManifests } from '../manifests/parse-manifests.ts';
import { isPlainObject } from './apply-strategic-merge-patch.ts';
import { type FileMap, isFolder, isYamlFile, joinRepoPath, readText } from './file-map.ts';
import { findKustomizationFile } from './render-kustomization.ts';

const OVERLAY = /^(?:(.*)\/)?overlays\/([^/]+)\/(?:kustomization\.ya?ml|Kustomization)$/;

/** Usual promotion order; other names sort alphabetically between testing and staging. */
const STAGES: readonly RegExp[] = [
  /^(local|dev|devel|develop|development|sandbox)$/i,
  /^(test|testing|qa|int|integration|sit|uat)$/i,
  /^(stage|staging|stg|preprod|pre-prod|preproduction|pre-production)$/i,
  /^(prod|production|prd|live)$/i,
];

function stageRank(name: string): number {
  // `guestbook-staging` ranks as `staging`.
  const rank = STAGES.findIndex((re) => re.test(name) || name.split(/[-_.]/).some((part) => re.test(part)));
  return rank < 0 ? 1.5 : rank;
}

const byStage = (a: string, b: string) => stageRank(a) - stageRank(b) || (a < b ? -1 : a > b ? 1 : 0);

const FLUX_CLUSTER = /^(?:([^/]+)\/)?clusters\/([^/]+)\/.+\.ya?ml$/;
const ENV_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Flux's layout: `clusters/<env>/` (at the root or below one folder), one environment each. */
function discoverFlux(paths: readonly string[]): EnvironmentConfig[] {
  const clusters = new Map<string, string>();
  const roots = new Set<string>();
  for (const path of paths) {
    const match = FLUX_CLUSTER.exec(path);
    if (!match || !ENV_NAME.test(match[2]!)) continue;
    const root = match[1] ? `${match[1]}/clusters` : 'clusters';
    roots.add(root);
    clusters.set(match[2]!, `${root}/${match[2]}`);
  }
  if (roots.size !== 1) return [];
  return [...clusters.keys()]
    .sort(byStage)
    .map((name) => ({ name, source: { type: 'flux' as const, path: clusters.get(name)! } }));
}

/**
 * Argo CD's layout: every `Application` (argoproj.io) whose source path is a folder of this
 * repository is an environment named after it, rendered as Argo CD would (a kustomization, or the
 * folder's own manifests, all of them below with `directory.recurse`), its destination namespace
 * applied to objects without one. An app of apps is one too: it renders the child Applications,
 * which are environments of their own.
 */
function discoverArgo(files: FileMap, skip: (path: string) => boolean): EnvironmentConfig[] {
  const out: EnvironmentConfig[] = [];
  for (const path of [...files.keys()].sort()) {
    if (!isYamlFile(path) || skip(path)) continue;
    const text = readText(files, path) ?? '';
    if (!text.includes('argoproj.io') || !/kind:\s*Application\b/.test(text)) continue;
    for (const m of parseManifests(path, text).manifests) {
      if (m.identity.group !== 'argoproj.io' || m.identity.kind !== 'Application') continue;
      const spec = isPlainObject(m.object.spec) ? m.object.spec : {};
      const sources = [spec.source, ...(Array.isArray(spec.sources) ? spec.sources : [])].filter(
        isPlainObject,
      );
      const source = sources.find((s) => typeof s.path === 'string');
      const folder = source ? joinRepoPath('', String(source.path)) : undefined;
      if (!source || folder === undefined || !isFolder(files, folder) || !ENV_NAME.test(m.identity.name))
        continue;
      if (out.some((e) => e.name === m.identity.name)) continue;
      const destination = isPlainObject(spec.destination) ? spec.destination : {};
      const directory = isPlainObject(source.directory) ? source.directory : {};
      out.push({
        name: m.identity.name,
        source: findKustomizationFile(files, folder)
          ? { type: 'kustomize', path: folder }
          : { type: 'path', path: folder, ...(directory.recurse === true ? {} : { recurse: false }) },
        ...(typeof destination.namespace === 'string' && destination.namespace
          ? { namespace: destination.namespace }
          : {}),
      });
    }
  }
  return out.sort((a, b) => byStage(a.name, b.name));
}

/**
 * Environments of a repository without `.tollgate.yml` environments, from the layouts teams use:
 * - Flux: `clusters/<env>/` (root or one folder down), each rendered with what its Flux
 *   Kustomizations deploy (renderFluxCluster);
 * - Argo CD: each Application of the repository whose source path is one of its folders (with
 *   `files`, the YAML of the tree, given);
 * - kustomize overlays in exactly one `overlays/` folder (`overlays/<name>/kustomization.yaml`, at
 *   the root or below one folder): each overlay, rendered natively.
 * Environments come in promotion order (dev, test/qa, other names alphabetically, staging,
 * production); the discovered `default` environment (plain Kubernetes YAML outside kustomize and
 * chart folders) comes first. Without any of these layouts only `default`, as before. Hidden and
 * excluded (policy) folders are ignored.
 */
export function discoverEnvironments(
  paths: readonly string[],
  options: { exclude?: readonly string[]; files?: FileMap } = {},
): { environments: EnvironmentConfig[]; overlaysRoot?: string; layout?: 'flux' | 'argo' | 'overlays' } {
  const excluded = (options.exclude ?? []).map((p) => `${p.replace(/\/+$/, '')}/`);
  const skip = (path: string) =>
    path.split('/').some((part) => part.startsWith('.')) || excluded.some((e) => path.startsWith(e));
  const visible = paths.filter((p) => !skip(p));
  const discovered: EnvironmentConfig = { name: DISCOVERED_ENVIRONMENT, source: { type: 'discover' } };
  const flux = discoverFlux(visible).filter((e) => e.name !== DISCOVERED_ENVIRONMENT);
  const argo = options.files
    ? discoverArgo(options.files, skip).filter(
        (e) => e.name !== DISCOVERED_ENVIRONMENT && !flux.some((f) => f.name === e.name),
      )
    : [];
  if (flux.length > 0 || argo.length > 0)
    return { environments: [discovered, ...flux, ...argo], layout: flux.length > 0 ? 'flux' : 'argo' };
  const overlays = new Map<string, string>();
  const roots = new Set<string>();
  for (const path of visible) {
    const match = OVERLAY.exec(path);
    if (!match) continue;
    const root = match[1] ? `${match[1]}/overlays` : 'overlays';
    roots.add(root);
    overlays.set(match[2]!, `${root}/${match[2]}`);
  }
  if (roots.size !== 1 || overlays.has(DISCOVERED_ENVIRONMENT)) return { environments: [discovered] };
  const names = [...overlays.keys()].sort(byStage);
  return {
    environments: [
      discovered,
      ...names.map((name) => ({ name, source: { type: 'kustomize' as const, path: overlays.get(name)! } })),
    ],
    overlaysRoot: [...roots][0]!,
    layout: 'overlays',
  };
}
