import type { Manifest, ParseLimits } from '../manifests/parse-manifests.ts';
import { identifyResource, isClusterScoped } from '../manifests/resource-identity.ts';
import { isPlainObject } from './apply-strategic-merge-patch.ts';
import { type FileMap, isFolder, normalizeRepoPath } from './file-map.ts';
import { findKustomizationFile, renderKustomization } from './render-kustomization.ts';
import { notRenderedFinding, type RenderedManifests, renderPlainFolder } from './render-plain-folder.ts';

const FLUX_KUSTOMIZE = 'kustomize.toolkit.fluxcd.io';
const MAX_KUSTOMIZATIONS = 50;

/** Fields of a Flux Kustomization that change the objects and are not applied here. */
const UNAPPLIED = [
  'postBuild',
  'patches',
  'images',
  'components',
  'commonMetadata',
  'namePrefix',
  'nameSuffix',
];

/** A folder as Flux builds it: its kustomization, or (Flux generates one) every manifest under it. */
function buildFolder(files: FileMap, path: string, limits: ParseLimits): RenderedManifests {
  return findKustomizationFile(files, path)
    ? renderKustomization(files, path, limits)
    : renderPlainFolder(files, path, limits);
}

function isFluxKustomization(m: Manifest): boolean {
  return m.identity.group === FLUX_KUSTOMIZE && m.identity.kind === 'Kustomization';
}

function withNamespace(m: Manifest, namespace: string): Manifest {
  if (isClusterScoped(m.identity.kind)) return m;
  const meta = isPlainObject(m.object.metadata) ? m.object.metadata : {};
  const object = { ...m.object, metadata: { ...meta, namespace } };
  return { ...m, object, identity: identifyResource(object)! };
}

/**
 * A Flux cluster folder (`clusters/staging`) rendered as Flux would reconcile it from this
 * repository: the folder itself (the Flux `Kustomization` and source objects), then, for each
 * Flux `Kustomization` whose source is a GitRepository, the folder its `spec.path` names (built
 * with kustomize, or every manifest under it), with `spec.targetNamespace` applied; followed
 * recursively (a Kustomization may deploy others), each folder once. What is not rendered says
 * so with a warning: HelmReleases (their chart's objects), Kustomizations from other sources,
 * missing paths, and the Kustomization fields that would change the objects (postBuild
 * substitution, patches, images, components, commonMetadata, name prefix/suffix).
 */
export function renderFluxCluster(
  files: FileMap,
  clusterDir: string,
  limits: ParseLimits,
): RenderedManifests {
  const out: RenderedManifests = { manifests: [], findings: [] };
  const visited = new Set<string>();
  const queue: { path: string; targetNamespace?: string }[] = [{ path: clusterDir }];
  while (queue.length > 0 && visited.size < MAX_KUSTOMIZATIONS) {
    const { path, targetNamespace } = queue.shift()!;
    if (visited.has(path)) continue;
    visited.add(path);
    const built = buildFolder(files, path, limits);
    out.findings.push(...built.findings);
    for (const m of built.manifests) {
      out.manifests.push(targetNamespace ? withNamespace(m, targetNamespace) : m);
      if (m.identity.kind === 'HelmRelease' && m.identity.group.endsWith('fluxcd.io'))
        out.findings.push(
          notRenderedFinding(
            'flux-helmrelease-not-rendered',
            `HelmRelease ${m.identity.name} is not rendered`,
            `${m.file}:${m.line}: HelmRelease \`${m.identity.name}\` is in the render, but the objects its chart would create are not (charts are not rendered here), so they are not checked.`,
            m.file,
          ),
        );
      if (!isFluxKustomization(m)) continue;
      const spec = isPlainObject(m.object.spec) ? m.object.spec : {};
      const where = `${m.file}:${m.line}: Flux Kustomization \`${m.identity.name}\``;
      const source = isPlainObject(spec.sourceRef) ? spec.sourceRef : {};
      if (source.kind !== undefined && source.kind !== 'GitRepository') {
        out.findings.push(
          notRenderedFinding(
            'flux-source-not-rendered',
            `Flux Kustomization ${m.identity.name} is not rendered`,
            `${where} deploys from a ${String(source.kind)}, not from this repository; its objects are not checked.`,
            m.file,
          ),
        );
        continue;
      }
      const target = normalizeRepoPath(typeof spec.path === 'string' ? spec.path : '');
      if (target === undefined || !isFolder(files, target)) {
        out.findings.push(
          notRenderedFinding(
            'flux-path-not-rendered',
            `Flux Kustomization ${m.identity.name} is not rendered`,
            `${where} points at \`${String(spec.path ?? '')}\`, which is not a folder of this repository; its objects are not checked.`,
            m.file,
          ),
        );
        continue;
      }
      for (const field of UNAPPLIED.filter((f) => spec[f] !== undefined))
        out.findings.push(
          notRenderedFinding(
            'flux-field-not-applied',
            `Flux Kustomization ${m.identity.name}: \`spec.${field}\` is not applied`,
            `${where} sets \`spec.${field}\`, which is not applied here: the objects of \`${target}\` are checked as kustomize builds them, before Flux changes them.`,
            m.file,
          ),
        );
      queue.push({
        path: target,
        ...(typeof spec.targetNamespace === 'string' && spec.targetNamespace
          ? { targetNamespace: spec.targetNamespace }
          : {}),
      });
    }
  }
  return out;
}
