import { parse } from 'yaml';
import type { Finding } from '../findings/finding.ts';
import {
  DEFAULT_PARSE_LIMITS,
  type Manifest,
  type ParseLimits,
  parseManifests,
} from '../manifests/parse-manifests.ts';
import { identifyResource } from '../manifests/resource-identity.ts';
import { dropUnsafeKeys } from '../safe-keys/drop-unsafe-keys.ts';
import { isPlainObject } from './apply-strategic-merge-patch.ts';
import { joinRepoPath } from './file-map.ts';
import type { RenderedManifests } from './render-plain-folder.ts';

const ORIGIN = 'config.kubernetes.io/origin';

/** Folder (repository-relative) of the wrapper kustomization that asks kustomize for origins. */
export function kustomizeWrapperDir(environment: string): string {
  return `.tollgate-render/${environment}`;
}

/**
 * The wrapper kustomization written next to the checkout for `renderer: kustomize`: the
 * environment's folder as its only resource, with `buildMetadata: [originAnnotations]` so that
 * every object says which file (or which generator of which kustomization) it came from.
 */
export function kustomizeWrapper(environment: string, path: string): string {
  const up = kustomizeWrapperDir(environment)
    .split('/')
    .map(() => '..')
    .join('/');
  return `resources:\n- ${JSON.stringify(`${up}/${path === '.' || path === '' ? '' : path}`.replace(/\/$/, ''))}\nbuildMetadata: [originAnnotations]\n`;
}

interface Origin {
  path?: string;
  configuredIn?: string;
}

function readOrigin(object: Record<string, unknown>): Origin | undefined {
  const meta = isPlainObject(object.metadata) ? object.metadata : undefined;
  const annotations = meta && isPlainObject(meta.annotations) ? meta.annotations : undefined;
  const text = annotations?.[ORIGIN];
  if (typeof text !== 'string') return undefined;
  delete annotations![ORIGIN];
  if (Object.keys(annotations!).length === 0) delete meta!.annotations;
  try {
    const origin = parse(text) as unknown;
    dropUnsafeKeys(origin, text);
    return isPlainObject(origin) ? (origin as Origin) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Objects printed by `kustomize build` of the wrapper (kustomizeWrapper), each mapped back to the
 * repository file its origin annotation names: a resource file (at the document of the same kind
 * whose name the rendered name contains, so lines of fields point into it) or, for generated
 * objects, the kustomization that declares the generator (at the line naming it). The origin
 * annotation itself is removed (the repository did not ask for it). Objects without a usable
 * origin keep the pseudo-path `source`.
 */
export function mapKustomizeOrigins(
  output: string,
  environment: string,
  source: string,
  readFile: (path: string) => string | undefined,
  limits: ParseLimits = DEFAULT_PARSE_LIMITS,
): RenderedManifests {
  const parsed = parseManifests(source, output, { ...limits, maxFileBytes: Number.MAX_SAFE_INTEGER });
  const findings: Finding[] = parsed.findings.map((f) => ({ ...f, check: 'render' }));
  const wrapper = kustomizeWrapperDir(environment);
  const sources = new Map<string, Manifest[]>();
  const manifestsOf = (file: string) => {
    if (!sources.has(file)) {
      const text = readFile(file);
      sources.set(file, text === undefined ? [] : parseManifests(file, text, limits).manifests);
    }
    return sources.get(file)!;
  };
  const manifests = parsed.manifests.map((m): Manifest => {
    const object = m.object;
    const origin = readOrigin(object);
    const identity = identifyResource(object) ?? m.identity;
    const file = origin?.path ?? origin?.configuredIn;
    const repoPath = typeof file === 'string' ? joinRepoPath(wrapper, file) : undefined;
    if (!repoPath) return { ...m, identity };
    if (origin?.path) {
      const candidates = manifestsOf(repoPath).filter(
        (c) => c.identity.kind === identity.kind && identity.name.includes(c.identity.name),
      );
      const best = candidates.sort((a, b) => b.identity.name.length - a.identity.name.length)[0];
      if (best)
        return {
          ...m,
          identity,
          file: repoPath,
          documentIndex: best.documentIndex,
          line: best.line,
          lineOf: best.lineOf,
        };
      return { ...m, identity, file: repoPath, line: 1, lineOf: () => 1 };
    }
    const lines = (readFile(repoPath) ?? '').split('\n');
    const base = identity.name.replace(/-[a-z0-9]{10}$/, '');
    const index = lines.findIndex((l) => {
      const match = /name:\s*["']?([^"'\s#]+)/.exec(l);
      return match !== null && base.endsWith(match[1]!);
    });
    const line = index >= 0 ? index + 1 : 1;
    return { ...m, identity, file: repoPath, line, lineOf: () => line };
  });
  return { manifests, findings };
}
