import { readFileSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
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
import {
  kustomizeWrapper,
  kustomizeWrapperDir,
  mapKustomizeOrigins,
} from '../../core/render/map-kustomize-origins.ts';
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
  /** The discovered `default` environment says which kustomizations nothing renders. */
  reportKustomizations?: boolean;
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

/** Environments rendered by a program: `command:` ones and `renderer: kustomize` ones. */
function needsProcess(env: EnvironmentConfig): boolean {
  return (
    env.source.type === 'command' || (env.source.type === 'kustomize' && env.source.renderer === 'kustomize')
  );
}

function parseLimitsOf(limits: TollgateLimits, cache: ParsedManifestCache | undefined): ParseLimits {
  return { ...DEFAULT_PARSE_LIMITS, maxFileBytes: limits.maxFileBytes, ...(cache ? { cache } : {}) };
}

function filesNeeded(envs: readonly EnvironmentConfig[]): ((path: string) => boolean) | undefined {
  const native = envs.filter((e) => !needsProcess(e));
  if (native.length === 0) return undefined;
  if (native.some((e) => e.source.type === 'kustomize' || e.source.type === 'flux')) return () => true; // generators read any file
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
  if (!needsProcess(env)) {
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
      reportKustomizations: options.reportKustomizations === true,
    });
    return {
      ...rendered,
      findings: [...loadFindings.map((f) => ({ ...f, environment: env.name })), ...rendered.findings],
    };
  }
  const materialized = options.materialized ?? (await materializeTree(tree, limits, options.tempRoot));
  try {
    const source = env.source;
    if (source.type === 'kustomize')
      return await renderKustomizeBinaryEnvironment(env, source, materialized, limits, options);
    if (source.type !== 'command') throw new Error(`environment ${env.name} needs no process`);
    return await renderCommandEnvironment(env, source, materialized, limits, options);
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
  const findings: Finding[] = [...tree.findings];
  const stdout = await runForOutput(
    env,
    [source.argv],
    source.timeoutSeconds,
    tree,
    limits,
    options,
    findings,
  );
  if (stdout === undefined) return finishEnvironment(env, { manifests: [], findings });
  const command = source.argv.join(' ');
  const parsed = parseCommandOutput(
    stdout,
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

/**
 * `renderer: kustomize`: the real kustomize builds the environment's folder in the render sandbox
 * (`kustomize build`, or `kubectl kustomize` when only kubectl is allowed/installed), through a
 * wrapper kustomization with `buildMetadata: [originAnnotations]`, so each object maps back to the
 * file (or generator) it came from. No plugins, no helm, no remote fetches: kustomize's defaults.
 */
async function renderKustomizeBinaryEnvironment(
  env: EnvironmentConfig,
  source: { path: string; timeoutSeconds?: number },
  tree: MaterializedTree,
  limits: TollgateLimits,
  options: RenderEnvironmentOptions,
): Promise<RenderedEnvironment> {
  const findings: Finding[] = [...tree.findings];
  const wrapper = kustomizeWrapperDir(env.name);
  await mkdir(join(tree.dir, wrapper), { recursive: true });
  await writeFile(join(tree.dir, wrapper, 'kustomization.yaml'), kustomizeWrapper(env.name, source.path));
  const stdout = await runForOutput(
    env,
    [
      ['kustomize', 'build', wrapper],
      ['kubectl', 'kustomize', wrapper],
    ],
    source.timeoutSeconds ?? limits.renderTimeoutSeconds,
    tree,
    limits,
    options,
    findings,
  );
  if (stdout === undefined) return finishEnvironment(env, { manifests: [], findings });
  const parsed = mapKustomizeOrigins(
    stdout,
    env.name,
    commandOutputPath(env.name),
    (path) => readTemplate(tree.dir, path, limits.maxFileBytes),
    parseLimitsOf(limits, options.parseCache),
  );
  return finishEnvironment(env, { manifests: parsed.manifests, findings: [...findings, ...parsed.findings] });
}

/**
 * Runs the first of `candidates` the runner can start (the next one when a program is not allowed
 * or not installed) and returns its stdout; problems become findings and give undefined.
 */
async function runForOutput(
  env: EnvironmentConfig,
  candidates: readonly (readonly string[])[],
  timeoutSeconds: number,
  tree: MaterializedTree,
  limits: TollgateLimits,
  options: RenderEnvironmentOptions,
  findings: Finding[],
): Promise<string | undefined> {
  const where = { file: '.tollgate.yml', line: env.line };
  let argv = candidates[0]!;
  let command = argv.join(' ');
  if (!options.renderRunner) {
    findings.push(
      buildRenderFinding(
        'render-not-checked',
        `Render command of ${env.name} was not run`,
        `\`${command}\` was not run: this caller runs no render commands, so ${env.name} is not checked.`,
        where,
      ),
    );
    return undefined;
  }
  let result: Awaited<ReturnType<RenderRunner['runRender']>> | undefined;
  for (const candidate of candidates) {
    argv = candidate;
    command = argv.join(' ');
    result = await options.renderRunner.runRender({
      argv,
      treeDir: tree.dir,
      timeoutMs: timeoutSeconds * 1000,
      maxOutputBytes: limits.maxRenderOutputBytes,
    });
    if (!result.refused && !result.spawnError) break;
  }
  if (!result) return undefined;
  const tail = result.stderrTail ? `\n\nLast lines of stderr:\n${result.stderrTail}` : '';
  if (result.refused) {
    findings.push(
      buildRenderFinding(
        'render-not-checked',
        `Render command of ${env.name} was not run`,
        `\`${command}\` was not run, so ${env.name} is not checked: ${result.refused}.`,
        where,
      ),
    );
    return undefined;
  }
  if (result.spawnError) {
    findings.push(
      buildRenderFinding(
        'render-command-failed',
        `Render command of ${env.name} did not start`,
        `\`${command}\` could not be started: ${result.spawnError}`,
        where,
      ),
    );
    return undefined;
  }
  if (result.timedOut) {
    findings.push(
      buildRenderFinding(
        'render-command-timeout',
        `Render command of ${env.name} timed out`,
        `\`${command}\` timed out after ${timeoutSeconds} s and was stopped.${tail}`,
        where,
      ),
    );
    return undefined;
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
    return undefined;
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
    return undefined;
  }
  return result.stdout;
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
  options: Omit<
    RenderEnvironmentOptions,
    'files' | 'materialized' | 'limits' | 'exclude' | 'reportKustomizations'
  > = {},
): Promise<RenderedEnvironment[]> {
  let discovered: ReturnType<typeof discoverEnvironments> | undefined;
  let loaded: { files: FileMap; findings: Finding[] } | undefined;
  if (config.environments.length === 0) {
    // Discovery reads the YAML (Argo CD Applications); the default environment needs it anyway.
    loaded = await loadTreeFiles(tree, isYamlFile, config.limits);
    discovered = discoverEnvironments(await tree.listFiles(), {
      exclude: config.policies,
      files: loaded.files,
    });
  }
  const envs = discovered?.environments ?? resolveEnvironments(config);
  const limits = config.limits;
  const include = filesNeeded(envs);
  if (include && !loaded) loaded = await loadTreeFiles(tree, include, limits);
  else if (include && loaded && envs.some((e) => e.source.type === 'kustomize' || e.source.type === 'flux')) {
    // Generators read files of any name: add the rest of the tree.
    const rest = await loadTreeFiles(tree, (path) => !isYamlFile(path), limits);
    loaded = {
      files: new Map([...loaded.files, ...rest.files]),
      findings: [...loaded.findings, ...rest.findings],
    };
  }
  // With Flux or Argo CD environments, `default` keeps only what none of them renders.
  const excludeFromDefault = [
    ...config.policies,
    ...(discovered?.layout === 'flux' || discovered?.layout === 'argo'
      ? envs.flatMap((e) => ('path' in e.source ? [e.source.path] : []))
      : []),
  ];
  let materialized: MaterializedTree | undefined;
  const out: RenderedEnvironment[] = [];
  try {
    for (const env of envs) {
      if (needsProcess(env)) materialized ??= await materializeTree(tree, limits, options.tempRoot);
      const rendered = await renderEnvironment(tree, env, {
        ...options,
        limits,
        exclude: env.source.type === 'discover' ? excludeFromDefault : config.policies,
        reportKustomizations: discovered !== undefined && !discovered.layout,
        ...(loaded ? { files: loaded.files } : {}),
        ...(materialized ? { materialized } : {}),
      });
      if (discovered?.layout && env.source.type === 'discover') {
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
