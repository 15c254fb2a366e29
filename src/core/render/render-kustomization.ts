import { LineCounter, type Node, parseAllDocuments, parseDocument } from 'yaml';
import type { Finding } from '../findings/finding.ts';
import { lineOfYamlPath } from '../manifests/line-of-yaml-path.ts';
import {
  DEFAULT_PARSE_LIMITS,
  type Manifest,
  type ParseLimits,
  parseManifests,
} from '../manifests/parse-manifests.ts';
import { identifyResource, resourceKey } from '../manifests/resource-identity.ts';
import { dropUnsafeKeys } from '../safe-keys/drop-unsafe-keys.ts';
import { applyJson6902Patches, applyStrategicPatches } from './apply-kustomize-patches.ts';
import { applyKustomizeReplacements } from './apply-kustomize-replacements.ts';
import { applyMetadataTransforms, applyReplicasAndImages } from './apply-kustomize-transforms.ts';
import { isPlainObject } from './apply-strategic-merge-patch.ts';
import { buildRenderFinding } from './build-render-finding.ts';
import { buildUnsafeKeyFinding } from './build-unsafe-key-finding.ts';
import { type FileMap, isFolder, joinRepoPath, readText } from './file-map.ts';
import { applyHashSuffixes, generateKustomizeObjects } from './generate-kustomize-objects.ts';
import { fixNameReferences } from './kustomize-name-references.ts';
import type { KustomizeLevel, KustomizeResource } from './kustomize-resource.ts';
import { isKustomizeConfig, type RenderedManifests } from './render-plain-folder.ts';
import { validateKustomization } from './validate-kustomization.ts';

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** Fields rendered natively; `sortOptions` only orders output, which the diff ignores. */
const SUPPORTED = new Set([
  'apiVersion',
  'kind',
  'metadata',
  'resources',
  'bases',
  'namespace',
  'namePrefix',
  'nameSuffix',
  'commonLabels',
  'labels',
  'commonAnnotations',
  'images',
  'replicas',
  'patches',
  'patchesStrategicMerge',
  'patchesJson6902',
  'configMapGenerator',
  'secretGenerator',
  'generatorOptions',
  'sortOptions',
  'components',
  'replacements',
]);

const MAX_DEPTH = 20;

/** What to do about a kustomize feature the built-in renderer lacks. */
export const KUSTOMIZE_RENDERER_REMEDY =
  'Render this environment with the real kustomize: set `renderer: kustomize` for it in .tollgate.yml.';

interface Build {
  files: FileMap;
  limits: ParseLimits;
  findings: Finding[];
}

/** Finds the kustomization file of a folder. */
export function findKustomizationFile(files: FileMap, dir: string): string | undefined {
  for (const name of KUSTOMIZATION_FILES) {
    const path = joinRepoPath(dir, name);
    if (path !== undefined && files.has(path)) return path;
  }
  return undefined;
}

/**
 * Renders a kustomization folder natively (no `kustomize` binary), in kustomize 5's order for each
 * level: resources and bases (files and folders, recursive overlays), generators, components
 * (`kind: Component` folders applied to the level's objects), patches, transformers, replacements;
 * objects annotated `config.kubernetes.io/local-config: "true"` dropped; then, once for the
 * whole build, content-hash suffixes and name references. Fields it does not implement
 * (helmCharts, configurations, openapi, crds, buildMetadata, vars, remote bases...) are error
 * findings naming the field and line; everything else still renders. Every object keeps the file
 * and line it came from.
 */
export function renderKustomization(
  files: FileMap,
  dir: string,
  limits: ParseLimits = DEFAULT_PARSE_LIMITS,
): RenderedManifests {
  const build: Build = { files, limits, findings: [] };
  const resources = buildLevel(build, dir, [], undefined, 'Kustomization', []);
  applyHashSuffixes(resources);
  fixNameReferences(resources, build.findings);
  const manifests: Manifest[] = [];
  for (const r of resources) {
    const identity = identifyResource(r.object);
    if (!identity) continue;
    manifests.push({
      file: r.file,
      documentIndex: r.documentIndex,
      line: r.line,
      identity,
      object: r.object,
      lineOf: r.lineOf,
      ...(r.origins ? { originOf: originOfFields(r.origins) } : {}),
    });
  }
  return { manifests, findings: build.findings };
}

/**
 * One kustomization level. A `Kustomization` starts from no objects and returns its own; a
 * `Component` works on (and returns) the objects of the level that includes it.
 */
function buildLevel(
  build: Build,
  dir: string,
  stack: string[],
  from: { file: string; line: number | undefined } | undefined,
  expected: 'Kustomization' | 'Component',
  resources: KustomizeResource[],
): KustomizeResource[] {
  const read = readLevel(build, dir, stack, from);
  if (!read) return resources;
  const { level, k } = read;
  if (!isExpectedKind(build, level, k, expected, from)) return resources;
  reportUnsupportedFields(build, level, k);
  resources.push(...loadResources(build, level, k, stack));
  reportDuplicates(build, level, resources);
  generateKustomizeObjects(level, k, resources);
  applyComponents(build, level, k, [...stack, dir], resources);
  applyStrategicPatches(level, k, resources);
  applyMetadataTransforms(level, k, resources);
  applyJson6902Patches(level, k, resources);
  applyReplicasAndImages(level, k, resources);
  applyKustomizeReplacements(level, k, resources);
  // A component works on its including level's objects, whose local-config objects (replacement
  // sources of that level) must survive until that level's replacements ran.
  if (expected === 'Kustomization') dropLocalConfig(resources);
  return resources;
}

/** Reads the level's kustomization file; undefined (with findings) when there is none or it is not a map. */
function readLevel(
  build: Build,
  dir: string,
  stack: string[],
  from: { file: string; line: number | undefined } | undefined,
): { level: KustomizeLevel; k: Record<string, unknown> } | undefined {
  const file = findKustomizationFile(build.files, dir);
  if (!file) {
    build.findings.push(
      buildRenderFinding(
        'kustomize-missing',
        `No kustomization in ${dir || '.'}`,
        `${dir || '.'} has no kustomization.yaml.`,
        from ?? { file: dir || '.' },
      ),
    );
    return undefined;
  }
  if (stack.includes(dir) || stack.length >= MAX_DEPTH) {
    build.findings.push(
      buildRenderFinding(
        'kustomize-cycle',
        `Kustomization cycle at ${dir}`,
        `${[...stack, dir].join(' → ')}: a kustomization includes itself (or nests deeper than ${MAX_DEPTH}).`,
        from ?? { file },
      ),
    );
    return undefined;
  }
  const lineCounter = new LineCounter();
  const text = readText(build.files, file)!;
  // kustomize keeps the last of duplicate keys without a word, so duplicates are no error here.
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false });
  const lineAt = (o: number) => lineCounter.linePos(o).line;
  const level: KustomizeLevel = {
    files: build.files,
    limits: build.limits,
    findings: build.findings,
    dir,
    file,
    lineOf: (path) => lineOfYamlPath(doc.contents as Node | null, path, lineAt),
  };
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      const line = e.pos ? lineAt(e.pos[0]) : undefined;
      build.findings.push(
        buildRenderFinding(
          'kustomize-yaml',
          `Invalid ${file}`,
          `${file}:${line ?? 1}: ${e.message.split('\n')[0]}`,
          { file, line },
        ),
      );
    }
    return undefined;
  }
  let k: unknown;
  try {
    k = doc.toJS({ maxAliasCount: build.limits.maxAliasCount });
  } catch (error) {
    build.findings.push(
      buildRenderFinding('kustomize-yaml', `Invalid ${file}`, `${file}: ${(error as Error).message}`, {
        file,
        line: 1,
      }),
    );
    return undefined;
  }
  if (k === null || k === undefined) {
    build.findings.push(
      buildRenderFinding(
        'kustomize-invalid',
        `Empty ${file}`,
        `${file}:1: the kustomization is empty; kustomize refuses to build it.`,
        { file, line: 1 },
      ),
    );
    return undefined;
  }
  for (const path of dropUnsafeKeys(k, text))
    build.findings.push(buildUnsafeKeyFinding(file, level.lineOf(path), `the key \`${path.join('.')}\``));
  if (!isPlainObject(k)) {
    if (k !== null && k !== undefined)
      build.findings.push(
        buildRenderFinding('kustomize-yaml', `Invalid ${file}`, `${file} must be a map of fields.`, {
          file,
          line: 1,
        }),
      );
    return undefined;
  }
  const asKustomizeReadsIt: unknown = parseDocument(text, {
    version: '1.1',
    uniqueKeys: false,
    prettyErrors: false,
  }).toJS({ maxAliasCount: build.limits.maxAliasCount });
  dropUnsafeKeys(asKustomizeReadsIt, text); // reported above, from the level's own parse
  const shapeErrors = validateKustomization(asKustomizeReadsIt);
  if (shapeErrors.length > 0) {
    for (const e of shapeErrors) {
      const line = level.lineOf(e.path);
      build.findings.push(
        buildRenderFinding(
          'kustomize-invalid',
          `Invalid ${file}: \`${e.path.join('.')}\``,
          `${file}:${line ?? 1}: \`${e.path.join('.')}\` ${e.message}; kustomize refuses to build this kustomization, so it was not rendered.`,
          { file, line },
        ),
      );
    }
    return undefined;
  }
  return { level, k };
}

/** A `Component` listed as a resource, or a `Kustomization` listed as a component, is skipped. */
function isExpectedKind(
  build: Build,
  level: KustomizeLevel,
  k: Record<string, unknown>,
  expected: 'Kustomization' | 'Component',
  from: { file: string; line: number | undefined } | undefined,
): boolean {
  const { file, dir } = level;
  const kind = k.kind === 'Component' ? 'Component' : 'Kustomization';
  if (kind !== expected) {
    const line = level.lineOf(['kind']);
    build.findings.push(
      buildRenderFinding(
        'kustomize-component',
        expected === 'Component' ? `Not a component: ${file}` : `Component used as a resource: ${file}`,
        expected === 'Component'
          ? `${file}:${line ?? 1}: \`${dir}\` is listed in \`components\` of ${from?.file ?? 'the build'} but is not \`kind: Component\`; it was skipped.`
          : `${file}:${line ?? 1}: \`kind: Component\` can only be listed in \`components\`, not in \`resources\`; it was skipped.`,
        from ?? { file, line },
      ),
    );
    return false;
  }
  return true;
}

/** A field the built-in renderer does not implement is an error finding naming it (and the fix). */
function reportUnsupportedFields(build: Build, level: KustomizeLevel, k: Record<string, unknown>): void {
  const { file } = level;
  for (const field of Object.keys(k)) {
    if (SUPPORTED.has(field)) continue;
    const line = level.lineOf([field]);
    build.findings.push(
      buildRenderFinding(
        'kustomize-unsupported',
        `Unsupported kustomize field \`${field}\``,
        `${file}:${line ?? 1}: \`${field}\` is not supported by the built-in renderer; it was ignored, so this environment may render differently from \`kustomize build\`.`,
        { file, line },
      ),
    );
    build.findings.at(-1)!.remedy = KUSTOMIZE_RENDERER_REMEDY;
  }
}

/** `resources` and `bases`: files parsed, folders built as nested kustomizations, remote ones refused. */
function loadResources(
  build: Build,
  level: KustomizeLevel,
  k: Record<string, unknown>,
  stack: string[],
): KustomizeResource[] {
  const { file, dir } = level;
  const own: KustomizeResource[] = [];
  const entries = [
    ...(Array.isArray(k.resources) ? k.resources.map((e, i) => [e, ['resources', i]] as const) : []),
    ...(Array.isArray(k.bases) ? k.bases.map((e, i) => [e, ['bases', i]] as const) : []),
  ];
  for (const [entry, keyPath] of entries) {
    const line = level.lineOf(keyPath);
    const at = { file, line };
    if (typeof entry !== 'string') continue;
    if (/^[a-z][a-z0-9+.-]*:\/\/|^git@|^github\.com\/|\?ref=/i.test(entry)) {
      build.findings.push(
        buildRenderFinding(
          'kustomize-unsupported',
          `Remote kustomize resource \`${entry}\``,
          `${file}:${line ?? 1}: remote resources are not fetched; \`${entry}\` was skipped.`,
          at,
        ),
      );
      continue;
    }
    const path = joinRepoPath(dir, entry);
    if (path === undefined) {
      build.findings.push(
        buildRenderFinding(
          'kustomize-missing',
          `Resource outside the repository`,
          `${file}:${line ?? 1}: \`${entry}\` points outside the repository.`,
          at,
        ),
      );
    } else if (build.files.has(path)) {
      const parsed = parseManifests(path, build.files.get(path)!, build.limits);
      build.findings.push(...parsed.findings);
      if (parsed.otherDocuments > 0) reportIncompleteObjects(build, path);
      for (const m of parsed.manifests) {
        if (isKustomizeConfig(m)) continue;
        const name = isPlainObject(m.object.metadata) ? m.object.metadata.name : undefined;
        if (typeof name !== 'string' || !name) {
          build.findings.push(
            buildRenderFinding(
              'kustomize-invalid-resource',
              `Resource without a name in ${m.file}`,
              `${m.file}:${m.line}: ${m.identity.kind} has no \`metadata.name\` (\`generateName\` is not enough); kustomize refuses to build it.`,
              { file: m.file, line: m.line },
            ),
          );
          continue;
        }
        own.push({
          object: structuredClone(m.object),
          originalName: m.identity.name,
          file: m.file,
          documentIndex: m.documentIndex,
          line: m.line,
          lineOf: m.lineOf,
        });
      }
    } else if (isFolder(build.files, path)) {
      own.push(...buildLevel(build, path, [...stack, dir], at, 'Kustomization', []));
    } else {
      build.findings.push(
        buildRenderFinding(
          'kustomize-missing',
          `Missing kustomize resource \`${entry}\``,
          `${file}:${line ?? 1}: \`${entry}\` is neither a file nor a folder of the repository.`,
          at,
        ),
      );
    }
  }
  return own;
}

/**
 * Documents of a resource file that are not Kubernetes objects: kustomize refuses one without
 * `kind` and keeps one without `apiVersion` as it is, which the built-in renderer cannot; both are
 * findings (never a silently dropped document).
 */
function reportIncompleteObjects(build: Build, path: string): void {
  const lineCounter = new LineCounter();
  for (const doc of parseAllDocuments(readText(build.files, path) ?? '', {
    lineCounter,
    uniqueKeys: false,
  })) {
    if (doc.errors.length > 0 || doc.contents === null) continue;
    const value = doc.toJS({ maxAliasCount: build.limits.maxAliasCount }) as unknown;
    if (!isPlainObject(value)) continue;
    if (typeof value.apiVersion === 'string' && typeof value.kind === 'string') continue;
    if (typeof value.kind === 'string' && value.kind.endsWith('List') && Array.isArray(value.items)) continue;
    const line = doc.contents.range ? lineCounter.linePos(doc.contents.range[0]).line : 1;
    const missing = typeof value.kind !== 'string' ? 'kind' : 'apiVersion';
    build.findings.push(
      buildRenderFinding(
        'kustomize-invalid-resource',
        `Resource without \`${missing}\` in ${path}`,
        missing === 'kind'
          ? `${path}:${line}: the document has no \`kind\`; kustomize refuses to build it.`
          : `${path}:${line}: the document has no \`apiVersion\`; kustomize passes it on as it is, the built-in renderer cannot identify it, so it is not in the render.`,
        { file: path, line },
      ),
    );
  }
}

/** `components`: folders of `kind: Component`, each applied in turn to this level's objects. */
function applyComponents(
  build: Build,
  level: KustomizeLevel,
  k: Record<string, unknown>,
  stack: string[],
  resources: KustomizeResource[],
): void {
  if (k.components === undefined) return;
  const list = Array.isArray(k.components) ? k.components : [];
  if (!Array.isArray(k.components))
    build.findings.push(
      buildRenderFinding(
        'kustomize-invalid-field',
        `Invalid \`components\` in ${level.file}`,
        `${level.file}:${level.lineOf(['components']) ?? 1}: \`components\` must be a list of folders.`,
        { file: level.file, line: level.lineOf(['components']) },
      ),
    );
  list.forEach((entry, i) => {
    const at = { file: level.file, line: level.lineOf(['components', i]) };
    const path = typeof entry === 'string' ? joinRepoPath(level.dir, entry) : undefined;
    if (path === undefined || !isFolder(build.files, path)) {
      build.findings.push(
        buildRenderFinding(
          'kustomize-missing',
          `Missing kustomize component \`${String(entry)}\``,
          `${level.file}:${at.line ?? 1}: component \`${String(entry)}\` is not a folder of the repository.`,
          at,
        ),
      );
      return;
    }
    buildLevel(build, path, stack, at, 'Component', resources);
  });
}

/**
 * kustomize drops objects annotated `config.kubernetes.io/local-config: "true"` (replacement
 * sources) at the end of every kustomization level (a component's objects go when the level
 * including it ends), checked with `kubectl kustomize`.
 */
function dropLocalConfig(resources: KustomizeResource[]): void {
  for (let i = resources.length - 1; i >= 0; i--) {
    const meta = resources[i]!.object.metadata;
    const annotations = isPlainObject(meta) ? meta.annotations : undefined;
    if (isPlainObject(annotations) && annotations['config.kubernetes.io/local-config'] === 'true')
      resources.splice(i, 1);
  }
}

function reportDuplicates(build: Build, level: KustomizeLevel, resources: KustomizeResource[]): void {
  const seen = new Map<string, KustomizeResource>();
  for (let i = 0; i < resources.length; i++) {
    const r = resources[i]!;
    const id = identifyResource(r.object);
    if (!id) continue;
    const key = resourceKey(id);
    const first = seen.get(key);
    if (!first) {
      seen.set(key, r);
      continue;
    }
    build.findings.push(
      buildRenderFinding(
        'kustomize-duplicate',
        `Duplicate resource ${id.kind}/${id.name}`,
        `${r.file}:${r.line}: ${id.kind} \`${id.name}\` is already defined at ${first.file}:${first.line} (in ${level.file}); the second one was dropped.`,
        { file: r.file, line: r.line },
      ),
    );
    resources.splice(i--, 1);
  }
}

/** The recorded origin of a field path or of its nearest recorded parent (`spec.replicas`). */
function originOfFields(origins: NonNullable<KustomizeResource['origins']>) {
  return (path: readonly (string | number)[]) => {
    for (let n = path.length; n > 0; n--) {
      const key = path.slice(0, n).join('.');
      if (Object.hasOwn(origins, key)) return origins[key];
    }
    return undefined;
  };
}
