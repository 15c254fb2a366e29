import type { EnvironmentConfig } from '../config/tollgate-config.ts';
import type { Finding } from '../findings/finding.ts';
import { DEFAULT_PARSE_LIMITS, type Manifest, type ParseLimits } from '../manifests/parse-manifests.ts';
import { identifyResource, isClusterScoped } from '../manifests/resource-identity.ts';
import { buildRenderFinding } from './build-render-finding.ts';
import { discoverKubernetesYaml } from './discover-kubernetes-yaml.ts';
import { type FileMap, isFolder } from './file-map.ts';
import { renderFluxCluster } from './render-flux-cluster.ts';
import { findKustomizationFile, renderKustomization } from './render-kustomization.ts';
import { type RenderedManifests, renderPlainFolder } from './render-plain-folder.ts';

/** The objects one environment deploys, with the problems met while rendering it. Plain data. */
export interface RenderedEnvironment {
  environment: string;
  manifests: Manifest[];
  findings: Finding[];
  /** Not compared with the other environments (the discovered `default` next to discovered overlays). */
  excludeFromDrift?: boolean;
}

export interface NativeRenderOptions {
  limits?: ParseLimits;
  /** Folders left out of discovery (the policy folders). */
  exclude?: readonly string[];
  /** Discovery says which kustomizations it leaves unrendered (no other environment renders them). */
  reportKustomizations?: boolean;
}

/**
 * Renders an environment whose source needs no process: a plain YAML folder, a kustomization
 * (rendered natively) or, for the discovered `default` environment (source path `.`), every
 * Kubernetes document of the repository. Pure: the tree is an in-memory map. Command environments
 * are rendered by `src/adapters/render/` (they need a checkout and a process).
 */
export function renderNativeEnvironment(
  files: FileMap,
  env: EnvironmentConfig,
  options: NativeRenderOptions = {},
): RenderedEnvironment {
  const limits = options.limits ?? DEFAULT_PARSE_LIMITS;
  const where = { file: '.tollgate.yml', line: env.line };
  let rendered: RenderedManifests;
  const source = env.source;
  if (source.type === 'command') {
    rendered = {
      manifests: [],
      findings: [
        buildRenderFinding(
          'render-command',
          `Environment ${env.name} needs a command runner`,
          `Environment ${env.name} is rendered by a command, which the in-memory renderer cannot run.`,
          where,
        ),
      ],
    };
  } else if (source.type === 'discover') {
    rendered = discoverKubernetesYaml(files, {
      exclude: options.exclude ?? [],
      limits,
      reportKustomizations: options.reportKustomizations === true,
    });
  } else if (!isFolder(files, source.path)) {
    rendered = {
      manifests: [],
      findings: [
        buildRenderFinding(
          'render-missing-source',
          `Environment ${env.name}: \`${source.path}\` does not exist`,
          `The ${source.type} folder \`${source.path}\` of environment ${env.name} is not in the tree.`,
          where,
        ),
      ],
    };
  } else if (source.type === 'kustomize') {
    rendered = findKustomizationFile(files, source.path)
      ? renderKustomization(files, source.path, limits)
      : {
          manifests: [],
          findings: [
            buildRenderFinding(
              'kustomize-missing',
              `Environment ${env.name}: no kustomization in \`${source.path}\``,
              `\`${source.path}\` has no kustomization.yaml.`,
              where,
            ),
          ],
        };
  } else if (source.type === 'flux') {
    rendered = renderFluxCluster(files, source.path, limits);
  } else {
    rendered = renderPlainFolder(
      files,
      source.path,
      limits,
      source.recurse === false ? { recurse: false } : {},
    );
  }
  return finishEnvironment(env, rendered);
}

/** Applies the environment's default namespace and tags findings with the environment. */
export function finishEnvironment(env: EnvironmentConfig, rendered: RenderedManifests): RenderedEnvironment {
  const manifests = env.namespace
    ? rendered.manifests.map((m) => withNamespace(m, env.namespace!))
    : rendered.manifests;
  return {
    environment: env.name,
    manifests,
    findings: rendered.findings.map((f) => ({ ...f, environment: env.name })),
  };
}

function withNamespace(manifest: Manifest, namespace: string): Manifest {
  const meta = manifest.object.metadata as Record<string, unknown> | undefined;
  if (
    isClusterScoped(manifest.identity.kind) ||
    (meta && typeof meta.namespace === 'string' && meta.namespace)
  )
    return manifest;
  const object = { ...manifest.object, metadata: { ...(meta ?? {}), namespace } };
  return { ...manifest, object, identity: identifyResource(object)!, lineOf: manifest.lineOf };
}
