import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEFAULT_LIMITS,
  type EnvironmentConfig,
  resolveEnvironments,
  type TollgateConfig,
  type TollgateLimits,
} from '../../core/config/tollgate-config.ts';
import type { Finding } from '../../core/findings/finding.ts';
import { DEFAULT_PARSE_LIMITS, type ParseLimits } from '../../core/manifests/parse-manifests.ts';
import type { ParsedManifestCache } from '../../core/manifests/parsed-manifest-cache.ts';
import { buildRenderFinding } from '../../core/render/build-render-finding.ts';
import { discoverEnvironments } from '../../core/render/discover-environments.ts';
import { type FileMap, isYamlFile } from '../../core/render/file-map.ts';
import { commandOutputPath, parseCommandOutput } from '../../core/render/parse-command-output.ts';
import {
  finishEnvironment,
  type RenderedEnvironment,
  renderNativeEnvironment,
} from '../../core/render/render-native-environment.ts';
import type { EnvironmentRenderer } from '../../usecases/ports/environment-renderer.ts';
import type { RenderRunner } from '../../usecases/ports/render-runner.ts';
import type { SourceTree } from '../../usecases/ports/source-tree.ts';
import { loadTreeFiles } from './load-tree-files.ts';
import { type MaterializedTree, materializeTree } from './materialize-tree.ts';

export interface RenderEnvironmentOptions {
  limits?: TollgateLimits;
  /** Folders discovery leaves out (the policy folders). */
  exclude?: readonly string[];
  /** Runs `command:` environments (sandboxed, allow-listed); without one they are not checked. */
  renderRunner?: RenderRunner;
  tempRoot?: string;
  /** Already loaded files of the tree (shared between environments). */
  files?: FileMap;
  /** Already materialised tree (shared between command environments). */
  materialized?: MaterializedTree;
  /** Parsed files to reuse (shared by base and head, and by a worker's reviews). */
  parseCache?: ParsedManifestCache;
}

function parseLimitsOf(limits: TollgateLimits, cache: ParsedManifestCache | undefined): ParseLimits {
  return { ...DEFAULT_PARSE_LIMITS, maxFileBytes: limits.maxFileBytes, ...(cache ? { cache } : {}) };
}

function filesNeeded(envs: readonly EnvironmentConfig[]): ((path: string) => boolean) | undefined {
  const native = envs.filter((e) => e.source.type !== 'command');
  if (native.length === 0) return undefined;
  if (native.some((e) => e.source.type === 'kustomize')) return () => true; // generators read any file
  return (path) =>
    native.some((e) =>
      e.source.type === 'discover'
        ? isYamlFile(path)
        : e.source.type === 'path' && (e.source.path === '.' || path.startsWith(`${e.source.path}/`)),
    );
}

/**
 * Renders one environment of a tree: natively (plain folder, kustomization, discovery) from the
 * files in memory, or by running its command in a materialised checkout. Never throws for bad
 * input: problems are findings of the environment and whatever rendered is kept.
 */
export async function renderEnvironment(
  tree: SourceTree,
  env: EnvironmentConfig,
  options: RenderEnvironmentOptions = {},
): Promise<RenderedEnvironment> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  if (env.source.type !== 'command') {
    let files = options.files;
    let loadFindings: Finding[] = [];
    if (!files) {
      const loaded = await loadTreeFiles(tree, filesNeeded([env])!, limits);
      files = loaded.files;
      loadFindings = loaded.findings;
    }
    const rendered = renderNativeEnvironment(files, env, {
      limits: parseLimitsOf(limits, options.parseCache),
      exclude: options.exclude ?? [],
    });
    return {
      ...rendered,
      findings: [...loadFindings.map((f) => ({ ...f, environment: env.name })), ...rendered.findings],
    };
  }
  const materialized = options.materialized ?? (await materializeTree(tree, limits, options.tempRoot));
  try {
    return await renderCommandEnvironment(env, env.source, materialized, limits, options);
  } finally {
    if (!options.materialized) await materialized.release();
  }
}

async function renderCommandEnvironment(
  env: EnvironmentConfig,
  source: { argv: string[]; timeoutSeconds: number },
  tree: MaterializedTree,
  limits: TollgateLimits,
  options: RenderEnvironmentOptions,
): Promise<RenderedEnvironment> {
  const where = { file: '.tollgate.yml', line: env.line };
  const command = source.argv.join(' ');
  const findings: Finding[] = [...tree.findings];
  // Not run at all: the environment is not checked, which blocks (fail closed).
  const notChecked = (why: string) => {
    findings.push(
      buildRenderFinding(
        'render-not-checked',
        `Render command of ${env.name} was not run`,
        `\`${command}\` was not run, so ${env.name} is not checked: ${why}.`,
        where,
      ),
    );
    return finishEnvironment(env, { manifests: [], findings });
  };
  if (!options.renderRunner) return notChecked('this caller runs no render commands');
  const result = await options.renderRunner.runRender({
    argv: source.argv,
    treeDir: tree.dir,
    timeoutMs: source.timeoutSeconds * 1000,
    maxOutputBytes: limits.maxRenderOutputBytes,
  });
  const tail = result.stderrTail ? `\n\nLast lines of stderr:\n${result.stderrTail}` : '';
  if (result.refused) return notChecked(result.refused);
  if (result.spawnError) {
    findings.push(
      buildRenderFinding(
        'render-command-failed',
        `Render command of ${env.name} did not start`,
        `\`${command}\` could not be started: ${result.spawnError}`,
        where,
      ),
    );
    return finishEnvironment(env, { manifests: [], findings });
  }
  if (result.timedOut) {
    findings.push(
      buildRenderFinding(
        'render-command-timeout',
        `Render command of ${env.name} timed out`,
        `\`${command}\` timed out after ${source.timeoutSeconds} s and was stopped.${tail}`,
        where,
      ),
    );
    return finishEnvironment(env, { manifests: [], findings });
  }
  if (result.outputTooLarge) {
    findings.push(
      buildRenderFinding(
        'render-output-too-large',
        `Render output of ${env.name} is too large`,
        `\`${command}\` was stopped: output over ${limits.maxRenderOutputBytes} bytes.${tail}`,
        where,
      ),
    );
    return finishEnvironment(env, { manifests: [], findings });
  }
  if (result.exitCode !== 0) {
    const how = result.signal ? `was killed by ${result.signal}` : `exited with status ${result.exitCode}`;
    findings.push(
      buildRenderFinding(
        'render-command-failed',
        `Render command of ${env.name} failed`,
        `\`${command}\` ${how}.${tail}`,
        where,
      ),
    );
    return finishEnvironment(env, { manifests: [], findings });
  }
  const parsed = parseCommandOutput(
    result.stdout,
    env.name,
    tree.files,
    parseLimitsOf(limits, options.parseCache),
    (path) => readTemplate(tree.dir, path, limits.maxFileBytes),
  );
  if (parsed.manifests.length === 0 && parsed.findings.length === 0) {
    findings.push({
      ...buildRenderFinding(
        'render-empty',
        `Render command of ${env.name} printed no objects`,
        `\`${command}\` succeeded but printed no Kubernetes objects.`,
        { file: commandOutputPath(env.name) },
      ),
      severity: 'warning',
      blocking: false,
    });
  }
  return finishEnvironment(env, { manifests: parsed.manifests, findings: [...findings, ...parsed.findings] });
}

/** A template of the materialised tree, for mapping rendered lines back (undefined when unreadable). */
function readTemplate(dir: string, path: string, maxBytes: number): string | undefined {
  try {
    const full = join(dir, path);
    if (statSync(full).size > maxBytes) return undefined;
    return readFileSync(full, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Renders every environment of the configuration, in the configured order. Without configured
 * environments they are discovered from the tree (discoverEnvironments): the `default` one (plain
 * YAML) and, when the repository has one `overlays/` folder, one per overlay; `default` is then
 * dropped when it renders nothing and otherwise kept out of drift comparisons (`excludeFromDrift`).
 * Files are loaded once and the tree is materialised at most once.
 */
export async function renderAllEnvironments(
  tree: SourceTree,
  config: TollgateConfig,
  options: Omit<RenderEnvironmentOptions, 'files' | 'materialized' | 'limits' | 'exclude'> = {},
): Promise<RenderedEnvironment[]> {
  const discovered =
    config.environments.length > 0
      ? undefined
      : discoverEnvironments(await tree.listFiles(), { exclude: config.policies });
  const envs = discovered?.environments ?? resolveEnvironments(config);
  const limits = config.limits;
  const include = filesNeeded(envs);
  const loaded = include ? await loadTreeFiles(tree, include, limits) : undefined;
  let materialized: MaterializedTree | undefined;
  const out: RenderedEnvironment[] = [];
  try {
    for (const env of envs) {
      if (env.source.type === 'command')
        materialized ??= await materializeTree(tree, limits, options.tempRoot);
      const rendered = await renderEnvironment(tree, env, {
        ...options,
        limits,
        exclude: config.policies,
        ...(loaded ? { files: loaded.files } : {}),
        ...(materialized ? { materialized } : {}),
      });
      if (discovered?.overlaysRoot && env.source.type === 'discover') {
        if (rendered.manifests.length === 0 && rendered.findings.length === 0) continue;
        rendered.excludeFromDrift = true;
      }
      out.push(rendered);
    }
  } finally {
    await materialized?.release();
  }
  if (out.length > 0 && loaded)
    out[0]!.findings.unshift(...loaded.findings.map((f) => ({ ...f, environment: out[0]!.environment })));
  return out;
}

/**
 * The EnvironmentRenderer the use cases take: renderAllEnvironments with `runner` for `command:`
 * environments (without one they are reported as not checked).
 */
export function createEnvironmentRenderer(runner?: RenderRunner): EnvironmentRenderer {
  return (tree, config, options = {}) =>
    renderAllEnvironments(tree, config, { ...options, ...(runner ? { renderRunner: runner } : {}) });
}
