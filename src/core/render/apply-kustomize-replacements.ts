import { LineCounter, parseAllDocuments } from 'yaml';
import { splitApiVersion } from '../manifests/resource-identity.ts';
import { dropUnsafeKeys } from '../safe-keys/drop-unsafe-keys.ts';
import { isUnsafeKey } from '../safe-keys/is-unsafe-key.ts';
import { readOwn } from '../safe-keys/read-own.ts';
import { isPlainObject } from './apply-strategic-merge-patch.ts';
import { buildRenderFinding } from './build-render-finding.ts';
import { buildUnsafeKeyFinding } from './build-unsafe-key-finding.ts';
import { joinRepoPath, readText } from './file-map.ts';
import { type KustomizeLevel, type KustomizeResource, metadataOf, nameOf } from './kustomize-resource.ts';
import { matchesSelector } from './match-kustomize-selector.ts';

type JsonObject = Record<string, unknown>;

class ReplacementError extends Error {}

/** Splits `spec.containers.[name=app].image` (or `containers[name=app]`) into segments; brackets keep dots. */
export function splitReplacementPath(path: string): string[] {
  const out: string[] = [];
  let current = '';
  let depth = 0;
  for (const c of path) {
    if (c === '[') {
      if (depth === 0 && current) {
        out.push(current);
        current = '';
      }
      depth++;
    } else if (c === ']') depth--;
    if (c === '.' && depth === 0) {
      if (current) out.push(current);
      current = '';
    } else current += c;
  }
  if (current) out.push(current);
  // `[a.b]` without `=` is a plain key holding dots.
  return out.map((s) => (s.startsWith('[') && s.endsWith(']') && !s.includes('=') ? s.slice(1, -1) : s));
}

interface Slot {
  holder: JsonObject | unknown[];
  key: string | number;
}

/** Every place a replacement field path reaches; `create` makes missing maps, list items and the field. */
function findSlots(object: JsonObject, segments: readonly string[], create: boolean): Slot[] {
  const unsafe = segments.find((s) => isUnsafeKey(s) || isUnsafeKey(/^\[([^=\]]*)=/.exec(s)?.[1] ?? ''));
  if (unsafe !== undefined)
    throw new ReplacementError(
      `the field path segment \`${unsafe}\` is not allowed (it would reach an object's prototype)`,
    );
  const out: Slot[] = [];
  const walk = (node: unknown, i: number) => {
    const segment = segments[i]!;
    const last = i === segments.length - 1;
    const step = (holder: JsonObject | unknown[], key: string | number) => {
      if (last) out.push({ holder, key });
      else {
        const child = readOwn(holder, key);
        if ((child === undefined || child === null) && create) {
          const next = segments[i + 1]!;
          (holder as Record<string | number, unknown>)[key] =
            next.startsWith('[') || /^\d+$/.test(next) ? [] : {};
        }
        walk(readOwn(holder, key), i + 1);
      }
    };
    if (segment === '*') {
      if (Array.isArray(node)) for (let n = 0; n < node.length; n++) step(node, n);
      else if (isPlainObject(node)) for (const key of Object.keys(node)) step(node, key);
      return;
    }
    const select = /^\[([^=\]]*)=(.*)\]$/.exec(segment);
    if (select) {
      if (!Array.isArray(node)) return;
      const [, field, value] = select as unknown as [string, string, string];
      const matches = node
        .map((item, n) => [item, n] as const)
        .filter(([item]) =>
          field === ''
            ? String(item) === value
            : isPlainObject(item) && String(readOwn(item, field)) === value,
        );
      if (matches.length === 0 && create) {
        node.push(field === '' ? value : { [field]: value });
        matches.push([node.at(-1), node.length - 1]);
      }
      for (const [, n] of matches) step(node, n);
      return;
    }
    if (Array.isArray(node) && /^\d+$/.test(segment)) {
      const n = Number(segment);
      if (n < node.length || create) step(node, n);
      return;
    }
    if (!isPlainObject(node)) return;
    if (Object.hasOwn(node, segment) || create) step(node, segment);
  };
  walk(object, 0);
  return out;
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** A scalar keeps the target's type when the text allows it (kustomize copies the value, not the tag). */
function coerce(value: unknown, current: unknown): unknown {
  if (!isScalar(value) || !isScalar(current)) return structuredClone(value);
  const text = String(value);
  if (typeof current === 'number' && text.trim() !== '' && Number.isFinite(Number(text))) return Number(text);
  if (typeof current === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  if (typeof current === 'string') return text;
  return value;
}

function setSlot(slot: Slot, value: unknown, options: JsonObject | undefined): void {
  const holder = slot.holder as Record<string | number, unknown>;
  const current = readOwn(holder, slot.key);
  if (Array.isArray(current)) {
    holder[slot.key] = current.map((item) => withDelimiter(item, value, options));
    return;
  }
  holder[slot.key] = withDelimiter(current, value, options);
}

function withDelimiter(current: unknown, value: unknown, options: JsonObject | undefined): unknown {
  const delimiter = typeof options?.delimiter === 'string' ? options.delimiter : '';
  if (!delimiter) return coerce(value, current);
  if (current !== undefined && !isScalar(current))
    throw new ReplacementError('the delimiter option can only be used with scalar fields');
  const parts = current === undefined ? [] : String(current).split(delimiter);
  const index = typeof options?.index === 'number' ? options.index : 0;
  const v = String(value);
  if (index < 0) parts.unshift(v);
  else if (index >= parts.length) parts.push(v);
  else parts[index] = v;
  return coerce(parts.join(delimiter), current);
}

/** kustomize's ResId selection: every given field equal, against the current or any previous name and namespace. */
function selectsId(selector: JsonObject, r: KustomizeResource): boolean {
  const { group, version } = splitApiVersion(String(r.object.apiVersion ?? ''));
  const eq = (field: string, actual: string) =>
    selector[field] === undefined ||
    selector[field] === null ||
    selector[field] === '' ||
    String(selector[field]) === actual;
  if (!eq('group', group) || !eq('version', version) || !eq('kind', String(r.object.kind))) return false;
  const ids = [
    { name: nameOf(r.object), namespace: String(metadataOf(r.object).namespace ?? '') },
    ...(r.previous ?? []),
  ];
  return ids.some((id) => eq('name', id.name) && eq('namespace', id.namespace));
}

function selectsLabels(selector: JsonObject, r: KustomizeResource): boolean {
  const meta = metadataOf(r.object);
  return (
    matchesSelector(selector.labelSelector, meta.labels) &&
    matchesSelector(selector.annotationSelector, meta.annotations)
  );
}

function hasId(selector: JsonObject): boolean {
  return ['group', 'version', 'kind', 'name', 'namespace'].some((f) => selector[f]);
}

function sourceValue(replacement: JsonObject, resources: readonly KustomizeResource[]): unknown {
  if (replacement.sourceValue !== undefined && replacement.sourceValue !== null)
    return replacement.sourceValue;
  const source = replacement.source;
  if (!isPlainObject(source)) throw new ReplacementError('a replacement needs a `source` or a `sourceValue`');
  const matches = resources.filter((r) => selectsId(source, r));
  const describe = ['kind', 'name', 'namespace']
    .filter((f) => source[f])
    .map((f) => `${f}=${String(source[f])}`)
    .join(', ');
  if (matches.length === 0) throw new ReplacementError(`the source (${describe}) selects no resource`);
  if (matches.length > 1)
    throw new ReplacementError(`the source (${describe}) selects ${matches.length} resources, not one`);
  const fieldPath =
    typeof source.fieldPath === 'string' && source.fieldPath ? source.fieldPath : 'metadata.name';
  const slots = findSlots(matches[0]!.object, splitReplacementPath(fieldPath), false);
  const found = slots.length ? readOwn(slots[0]!.holder, slots[0]!.key) : undefined;
  if (found === undefined || found === null || found === '')
    throw new ReplacementError(
      `the source field \`${fieldPath}\` is missing in ${String(matches[0]!.object.kind)}/${nameOf(matches[0]!.object)}`,
    );
  const options = isPlainObject(source.options) ? source.options : undefined;
  if (typeof options?.delimiter !== 'string' || !options.delimiter) return found;
  if (!isScalar(found))
    throw new ReplacementError('the delimiter option can only be used with scalar fields');
  const parts = String(found).split(options.delimiter);
  const index = typeof options.index === 'number' ? options.index : 0;
  if (index < 0 || index >= parts.length)
    throw new ReplacementError(`options.index ${index} is out of bounds for \`${String(found)}\``);
  return parts[index];
}

function applyOne(replacement: JsonObject, resources: readonly KustomizeResource[]): void {
  if (!Array.isArray(replacement.targets) || replacement.targets.length === 0)
    throw new ReplacementError('a replacement needs at least one target');
  const value = sourceValue(replacement, resources);
  for (const target of replacement.targets) {
    if (!isPlainObject(target) || !isPlainObject(target.select))
      throw new ReplacementError('every target needs a `select`');
    const select = target.select;
    const rejects = Array.isArray(target.reject) ? target.reject.filter(isPlainObject) : [];
    const fieldPaths =
      Array.isArray(target.fieldPaths) && target.fieldPaths.length
        ? target.fieldPaths.map(String)
        : ['metadata.name'];
    const options = isPlainObject(target.options) ? target.options : undefined;
    const create = options?.create === true;
    for (const r of resources) {
      if (!selectsId(select, r) || !selectsLabels(select, r)) continue;
      if (
        rejects.some(
          (j) =>
            (hasId(j) && selectsId(j, r)) ||
            ((j.labelSelector || j.annotationSelector) && selectsLabels(j, r)),
        )
      )
        continue;
      for (const fieldPath of fieldPaths) {
        const segments = splitReplacementPath(fieldPath);
        if (create && segments.includes('*'))
          throw new ReplacementError(`\`create\` cannot be used with the wildcard path \`${fieldPath}\``);
        const slots = findSlots(r.object, segments, create);
        // kustomize refuses a target field that is not there (unless `create`, or a wildcard path).
        if (slots.length === 0 && !segments.includes('*'))
          throw new ReplacementError(
            `unable to find field \`${fieldPath}\` in ${String(r.object.kind)} \`${String((r.object.metadata as JsonObject | undefined)?.name ?? '')}\` (set \`options.create: true\` to create it)`,
          );
        for (const slot of slots) setSlot(slot, value, options);
      }
    }
  }
}

/**
 * `replacements` of one level, after the other transformers (kustomize's order): each copies a
 * value (a field of exactly one source resource, optionally one part of it split by `delimiter`,
 * or `sourceValue`) into fields of the selected targets (`select`/`reject` by group, version,
 * kind, name, namespace, current or previous; label and annotation selectors). Field paths are
 * dot-separated with `[name=value]` list selectors, numeric indexes and `*`; missing fields are
 * skipped unless `options.create`; `options.delimiter`/`index` replace one part of a string.
 * Entries may be inline or `path:` files. A failing replacement is a finding; the others still apply.
 */
export function applyKustomizeReplacements(
  level: KustomizeLevel,
  k: JsonObject,
  resources: readonly KustomizeResource[],
): void {
  if (k.replacements === undefined) return;
  const fail = (i: number | undefined, file: string, line: number | undefined, message: string) =>
    level.findings.push(
      buildRenderFinding(
        'kustomize-replacement',
        `Replacement failed in ${level.file}`,
        `${file}:${line ?? 1}: ${i === undefined ? '' : `replacements[${i}]: `}${message}`,
        { file, line },
      ),
    );
  if (!Array.isArray(k.replacements)) {
    fail(undefined, level.file, level.lineOf(['replacements']), '`replacements` must be a list.');
    return;
  }
  k.replacements.forEach((entry, i) => {
    const line = level.lineOf(['replacements', i]);
    let items: unknown[] = [entry];
    let file = level.file;
    if (isPlainObject(entry) && typeof entry.path === 'string' && entry.source === undefined) {
      const path = joinRepoPath(level.dir, entry.path);
      const text = path === undefined ? undefined : readText(level.files, path);
      if (text === undefined) {
        fail(i, level.file, line, `replacement file \`${entry.path}\` does not exist.`);
        return;
      }
      file = path!;
      const docs = parseAllDocuments(text, {
        lineCounter: new LineCounter(),
        uniqueKeys: true,
        prettyErrors: false,
      });
      items = [];
      for (const doc of Array.isArray(docs) ? docs : [docs]) {
        if (doc.errors.length) {
          fail(i, file, 1, `not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
          return;
        }
        const v = doc.toJS({ maxAliasCount: level.limits.maxAliasCount });
        for (const path of dropUnsafeKeys(v, text))
          level.findings.push(buildUnsafeKeyFinding(file, 1, `the replacement key \`${path.join('.')}\``));
        if (Array.isArray(v)) items.push(...v);
        else if (v !== null && v !== undefined) items.push(v);
      }
    }
    for (const item of items) {
      if (!isPlainObject(item)) {
        fail(
          i,
          file,
          file === level.file ? line : 1,
          'a replacement must be a map with `source` and `targets`.',
        );
        continue;
      }
      try {
        applyOne(item, resources);
      } catch (error) {
        if (!(error instanceof ReplacementError)) throw error;
        fail(i, file, file === level.file ? line : 1, `${error.message}.`);
      }
    }
  });
}
