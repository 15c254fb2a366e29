import { LineCounter, type Node, parseAllDocuments } from 'yaml';
import { coerceMetadataToStrings, KUSTOMIZE_YAML_OPTIONS } from '../manifests/kustomize-yaml-scalars.ts';
import { splitApiVersion } from '../manifests/resource-identity.ts';
import { compileUntrustedRegex } from '../regex/compile-untrusted-regex.ts';
import { dropUnsafeKeys } from '../safe-keys/drop-unsafe-keys.ts';
import { applyJsonPatch, type JsonPatchOperation } from './apply-json-patch.ts';
import { applyStrategicMergePatch, isPlainObject } from './apply-strategic-merge-patch.ts';
import { buildRenderFinding } from './build-render-finding.ts';
import { buildUnsafeKeyFinding } from './build-unsafe-key-finding.ts';
import { joinRepoPath, readText } from './file-map.ts';
import {
  type KustomizeLevel,
  type KustomizeResource,
  metadataOf,
  nameOf,
  renameResource,
} from './kustomize-resource.ts';
import { matchesSelector } from './match-kustomize-selector.ts';

type JsonObject = Record<string, unknown>;

interface PatchSource {
  /** Documents of the patch (a strategic merge patch per document, or one list of JSON6902 ops). */
  docs: unknown[];
  /** Where to point findings about this patch. */
  file: string;
  line: number | undefined;
}

function fail(
  level: KustomizeLevel,
  where: { file: string; line: number | undefined },
  title: string,
  message: string,
) {
  level.findings.push(
    buildRenderFinding('kustomize-patch', title, `${where.file}:${where.line ?? 1}: ${message}`, where),
  );
}

/** Reads a patch given as a file path (relative to the kustomization) or inline YAML/JSON. */
function loadPatch(
  level: KustomizeLevel,
  value: string,
  keyPath: PropertyKey[],
  inline: boolean,
): PatchSource | undefined {
  const at = { file: level.file, line: level.lineOf(keyPath) };
  let text: string | undefined = inline ? value : undefined;
  let file = level.file;
  if (!inline) {
    const path = joinRepoPath(level.dir, value);
    text = path === undefined ? undefined : readText(level.files, path);
    if (text === undefined) {
      if (value.includes('\n'))
        text = value; // patchesStrategicMerge also takes inline patches
      else {
        fail(level, at, `Missing patch in ${level.file}`, `patch file \`${value}\` does not exist.`);
        return undefined;
      }
    } else file = path!;
  }
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text!, { ...KUSTOMIZE_YAML_OPTIONS, lineCounter });
  const list = Array.isArray(docs) ? docs : [docs];
  const values: unknown[] = [];
  for (const doc of list) {
    if (doc.errors.length > 0) {
      const e = doc.errors[0]!;
      const line = file === level.file ? at.line : e.pos ? lineCounter.linePos(e.pos[0]).line : undefined;
      fail(
        level,
        { file, line },
        `Invalid patch in ${file}`,
        `the patch is not valid YAML: ${e.message.split('\n')[0]}`,
      );
      return undefined;
    }
    try {
      const v = doc.toJS({ maxAliasCount: level.limits.maxAliasCount });
      for (const path of dropUnsafeKeys(v, text))
        level.findings.push(buildUnsafeKeyFinding(file, at.line, `the patch key \`${path.join('.')}\``));
      coerceMetadataToStrings(doc.contents as Node | null, v, keyPath[0] !== 'patchesStrategicMerge');
      if (v !== null && v !== undefined) values.push(v);
    } catch (error) {
      fail(level, { file, line: at.line }, `Invalid patch in ${file}`, (error as Error).message);
      return undefined;
    }
  }
  return { docs: values, file, line: file === level.file ? at.line : 1 };
}

const TARGET_FIELDS = ['group', 'version', 'kind', 'name', 'namespace'] as const;

/** A target field: literal, or a regex matched against the whole value (Go's regexp, linear time). */
function matches(pattern: unknown, value: string): boolean {
  if (pattern === undefined || pattern === null || pattern === '') return true;
  const p = String(pattern);
  if (!/[\\^$.*+?()[\]{}|]/.test(p)) return p === value;
  const compiled = compileUntrustedRegex(`^(?:${p})$`);
  return compiled.ok && compiled.regex.test(value);
}

/** Every name a resource has had: current, as loaded, and each one in between (kustomize matches any). */
function namesOf(r: KustomizeResource): string[] {
  return [nameOf(r.object), r.originalName, ...(r.previous ?? []).map((p) => p.name)];
}

/**
 * Resources a kustomize `target` selects (group, version, kind, name, namespace, label/annotation
 * selectors). A field that is not a valid RE2 pattern selects nothing and is passed to `invalid`.
 */
export function selectPatchTargets(
  resources: readonly KustomizeResource[],
  target: JsonObject,
  invalid: (field: string, error: string) => void = () => undefined,
): KustomizeResource[] {
  for (const field of TARGET_FIELDS) {
    const p = target[field];
    if (typeof p !== 'string' || !/[\\^$.*+?()[\]{}|]/.test(p)) continue;
    const compiled = compileUntrustedRegex(`^(?:${p})$`);
    if (!compiled.ok) {
      invalid(field, compiled.error);
      return [];
    }
  }
  return resources.filter((r) => {
    const { group, version } = splitApiVersion(String(r.object.apiVersion ?? ''));
    const meta = metadataOf(r.object);
    return (
      matches(target.group, group) &&
      matches(target.version, version) &&
      matches(target.kind, String(r.object.kind)) &&
      namesOf(r).some((name) => matches(target.name, name)) &&
      matches(target.namespace, String(meta.namespace ?? '')) &&
      matchesSelector(target.labelSelector, meta.labels) &&
      matchesSelector(target.annotationSelector, meta.annotations)
    );
  });
}

/** `patches[].options`: whether a patch may change the name or kind of what it patches. */
interface PatchOptions {
  allowNameChange?: boolean;
  allowKindChange?: boolean;
}

/**
 * Keeps or refuses a name/kind change made by a patch, as kustomize does: allowed with
 * `allowNameChange`/`allowKindChange` (a rename is remembered, so references follow), otherwise
 * the old name/kind is kept and a finding says why.
 */
function settleIdentity(
  level: KustomizeLevel,
  source: PatchSource,
  r: KustomizeResource,
  before: { name: string; kind: unknown },
  options: PatchOptions,
): void {
  const name = nameOf(r.object);
  if (r.object.kind !== before.kind && !options.allowKindChange) {
    fail(
      level,
      source,
      `Patch changes the kind of ${String(before.kind)}/${before.name}`,
      `the patch changes \`kind\` to \`${String(r.object.kind)}\`; kustomize needs \`options.allowKindChange: true\` for that. The kind was kept.`,
    );
    r.object.kind = before.kind;
  }
  if (name === before.name) return;
  metadataOf(r.object).name = before.name;
  if (options.allowNameChange) renameResource(r, { name });
  else
    fail(
      level,
      source,
      `Patch changes the name of ${String(before.kind)}/${before.name}`,
      `the patch renames it to \`${name}\`; kustomize needs \`options.allowNameChange: true\` for that. The name was kept.`,
    );
}

function applyStrategic(
  level: KustomizeLevel,
  source: PatchSource,
  patch: JsonObject,
  targets: KustomizeResource[] | undefined,
  resources: KustomizeResource[],
  options: PatchOptions = {},
) {
  const patchMeta = isPlainObject(patch.metadata) ? patch.metadata : {};
  if (typeof patch.kind !== 'string' || !patch.kind) {
    fail(
      level,
      source,
      `Invalid patch in ${source.file}`,
      'a strategic merge patch needs `kind` (and `metadata.name`); kustomize cannot tell it from a JSON patch otherwise.',
    );
    return;
  }
  const selected =
    targets ??
    resources.filter(
      (r) =>
        r.object.kind === patch.kind &&
        namesOf(r).includes(String(patchMeta.name)) &&
        (patchMeta.namespace === undefined || metadataOf(r.object).namespace === patchMeta.namespace),
    );
  if (selected.length === 0) {
    // A `target` that selects nothing is no error for kustomize; a patch naming no object is.
    if (!targets)
      fail(
        level,
        source,
        `Patch matches nothing in ${level.file}`,
        `no resource matches the patch for ${String(patch.kind)} \`${String(patchMeta.name ?? '')}\`.`,
      );
    return;
  }
  for (const r of selected) {
    const before = { name: nameOf(r.object), kind: r.object.kind };
    // The patch names its object by `target`, or by one of the names the object has had: neither is
    // a rename. Its own apiVersion, kind and name only count when allowed to change them.
    const { apiVersion: _apiVersion, ...rest } = patch;
    const body: JsonObject = {
      ...(targets && !options.allowKindChange ? rest : patch),
      kind: options.allowKindChange ? patch.kind : before.kind,
      metadata: {
        ...patchMeta,
        name:
          (targets ? options.allowNameChange : options.allowNameChange && patchMeta.name !== before.name) &&
          typeof patchMeta.name === 'string' &&
          (targets || !namesOf(r).includes(patchMeta.name))
            ? patchMeta.name
            : before.name,
      },
    };
    if (targets && !options.allowKindChange) body.apiVersion = r.object.apiVersion;
    const patched = applyStrategicMergePatch(r.object, body);
    if (patched === undefined) resources.splice(resources.indexOf(r), 1);
    else {
      r.object = patched;
      settleIdentity(level, source, r, before, options);
    }
  }
}

function applyOps(
  level: KustomizeLevel,
  source: PatchSource,
  ops: unknown[],
  targets: KustomizeResource[],
  options: PatchOptions = {},
) {
  if (!ops.every((op) => isPlainObject(op) && typeof op.op === 'string' && typeof op.path === 'string')) {
    fail(
      level,
      source,
      `Invalid JSON patch in ${source.file}`,
      'every JSON6902 operation needs `op` and `path`.',
    );
    return;
  }
  // kustomize says nothing when the target selects no resource.
  if (targets.length === 0) return;
  for (const r of targets) {
    const before = { name: nameOf(r.object), kind: r.object.kind };
    const result = applyJsonPatch(r.object, ops as JsonPatchOperation[]);
    if ('error' in result)
      fail(
        level,
        source,
        `JSON patch does not apply to ${String(r.object.kind)}/${nameOf(r.object)}`,
        result.error,
      );
    else {
      r.object = result.result;
      settleIdentity(level, source, r, before, options);
    }
  }
}

/** `patchesStrategicMerge` and `patches` (strategic merge or JSON6902, with optional `target`). */
export function applyStrategicPatches(
  level: KustomizeLevel,
  k: JsonObject,
  resources: KustomizeResource[],
): void {
  if (Array.isArray(k.patchesStrategicMerge)) {
    k.patchesStrategicMerge.forEach((entry, i) => {
      if (typeof entry !== 'string') return;
      const source = loadPatch(level, entry, ['patchesStrategicMerge', i], false);
      for (const doc of source?.docs ?? []) {
        if (isPlainObject(doc)) applyStrategic(level, source!, doc, undefined, resources);
        else
          fail(level, source!, `Invalid patch in ${source!.file}`, 'a strategic merge patch must be a map.');
      }
    });
  }
  if (!Array.isArray(k.patches)) return;
  k.patches.forEach((entry, i) => {
    if (!isPlainObject(entry) || (typeof entry.path !== 'string' && typeof entry.patch !== 'string')) {
      fail(
        level,
        { file: level.file, line: level.lineOf(['patches', i]) },
        `Invalid patch in ${level.file}`,
        `\`patches[${i}]\` needs \`path\` or \`patch\`.`,
      );
      return;
    }
    const inline = typeof entry.patch === 'string';
    const source = loadPatch(
      level,
      inline ? (entry.patch as string) : (entry.path as string),
      ['patches', i],
      inline,
    );
    if (!source) return;
    const targets = isPlainObject(entry.target)
      ? selectPatchTargets(resources, entry.target, (field, error) =>
          fail(
            level,
            { file: level.file, line: level.lineOf(['patches', i, 'target', field]) },
            `Invalid patch target in ${level.file}`,
            `\`patches[${i}].target.${field}\` is ${error}.`,
          ),
        )
      : undefined;
    const options: PatchOptions = isPlainObject(entry.options)
      ? {
          allowNameChange: entry.options.allowNameChange === true,
          allowKindChange: entry.options.allowKindChange === true,
        }
      : {};
    if (source.docs.length === 1 && Array.isArray(source.docs[0])) {
      if (!targets)
        fail(
          level,
          source,
          `JSON patch without target in ${level.file}`,
          `\`patches[${i}]\` is a JSON6902 patch and needs a \`target\`.`,
        );
      // kustomize lets a JSON patch of `patches` rename what it patches (references follow).
      else applyOps(level, source, source.docs[0], targets, { ...options, allowNameChange: true });
      return;
    }
    for (const doc of source.docs) {
      if (isPlainObject(doc)) applyStrategic(level, source, doc, targets, resources, options);
    }
  });
}

/** `patchesJson6902`: a target and JSON6902 operations (file or inline). */
export function applyJson6902Patches(
  level: KustomizeLevel,
  k: JsonObject,
  resources: KustomizeResource[],
): void {
  if (!Array.isArray(k.patchesJson6902)) return;
  k.patchesJson6902.forEach((entry, i) => {
    const where = { file: level.file, line: level.lineOf(['patchesJson6902', i]) };
    if (!isPlainObject(entry) || !isPlainObject(entry.target)) {
      fail(level, where, `Invalid patch in ${level.file}`, `\`patchesJson6902[${i}]\` needs a \`target\`.`);
      return;
    }
    const inline = typeof entry.patch === 'string';
    const value = inline ? entry.patch : entry.path;
    if (typeof value !== 'string') {
      fail(
        level,
        where,
        `Invalid patch in ${level.file}`,
        `\`patchesJson6902[${i}]\` needs \`path\` or \`patch\`.`,
      );
      return;
    }
    const source = loadPatch(level, value, ['patchesJson6902', i], inline);
    if (!source) return;
    const ops = source.docs.length === 1 && Array.isArray(source.docs[0]) ? source.docs[0] : undefined;
    if (!ops)
      fail(
        level,
        source,
        `Invalid JSON patch in ${source.file}`,
        'a JSON6902 patch must be a list of operations.',
      );
    // The legacy field predates the allow* options and never refused renames.
    else
      applyOps(
        level,
        source,
        ops,
        selectPatchTargets(resources, entry.target, (field, error) =>
          fail(
            level,
            { file: level.file, line: level.lineOf(['patchesJson6902', i, 'target', field]) },
            `Invalid patch target in ${level.file}`,
            `\`patchesJson6902[${i}].target.${field}\` is ${error}.`,
          ),
        ),
        {
          allowNameChange: true,
          allowKindChange: true,
        },
      );
  });
}
