import type { TollgateConfig } from '../../core/config/tollgate-config.ts';
import type { RenderedEnvironment } from '../../core/render/render-native-environment.ts';
import type { SourceTree } from './source-tree.ts';

export interface RenderRunOptions {
  /** The caller's environment: only PATH and LANG are passed to render commands. */
  processEnv?: Readonly<Record<string, string | undefined>>;
  tempRoot?: string;
  /** Time between SIGTERM and SIGKILL when a command times out. */
  killGraceMs?: number;
}

/**
 * Renders every environment of a tree in the configured order: natively from the files in memory,
 * or by running an environment's command in a materialised checkout (src/adapters/render). Never
 * throws for bad input: problems are findings of the environment.
 */
export type RenderRunner = (
  tree: SourceTree,
  config: TollgateConfig,
  options?: RenderRunOptions,
) => Promise<RenderedEnvironment[]>;
