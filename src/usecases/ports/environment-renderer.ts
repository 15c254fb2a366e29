import type { TollgateConfig } from '../../core/config/tollgate-config.ts';
import type { ParsedManifestCache } from '../../core/manifests/parsed-manifest-cache.ts';
import type { RenderedEnvironment } from '../../core/render/render-native-environment.ts';
import type { SourceTree } from './source-tree.ts';

/**
 * Renders every environment of a tree in the configured order: natively from the files in memory,
 * or an environment's command through a RenderRunner (src/adapters/render; the entry point decides
 * which runner, if any). Never throws for bad input: problems are findings of the environment.
 * `parseCache`: parsed files to reuse (a review shares one between base and head).
 */
export type EnvironmentRenderer = (
  tree: SourceTree,
  config: TollgateConfig,
  options?: { parseCache?: ParsedManifestCache },
) => Promise<RenderedEnvironment[]>;
