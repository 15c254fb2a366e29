import { createHash } from 'node:crypto';
import { isPlainObject } from './apply-strategic-merge-patch.ts';
import { buildRenderFinding } from './build-render-finding.ts';
import { joinRepoPath } from './file-map.ts';
import {
  type KustomizeLevel,
  type KustomizeResource,
  metadataOf,
  nameOf,
  renameResource,
} from './kustomize-resource.ts';

type JsonObject = Record<string, unknown>;
type GeneratorKind = 'ConfigMap' | 'Secret';

function unquote(value: string): string {
  return value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0]!)
    ? value.slice(1, -1)
    : value;
}

function isText(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * `configMapGenerator` and `secretGenerator` of one level: literals (`K=V`), files (`path` or
 * `key=path`), env files (`envs`, legacy `env`), `behavior` create/merge/replace, generator options
 * (labels, annotations, `disableNameSuffixHash`, `immutable`). Generated objects get the content-hash
 * name suffix at the end of the build (see applyHashSuffixes), like kustomize.
 */
export function generateKustomizeObjects(
  level: KustomizeLevel,
  k: JsonObject,
  resources: KustomizeResource[],
): void {
  const globalOptions = isPlainObject(k.generatorOptions) ? k.generatorOptions : {};
  for (const [field, kind] of [
    ['configMapGenerator', 'ConfigMap'],
    ['secretGenerator', 'Secret'],
  ] as const) {
    const entries = k[field];
    if (entries === undefined) continue;
    if (!Array.isArray(entries)) {
      fail(level, [field], `\`${field}\` must be a list of generators.`);
      continue;
    }
    entries.forEach((entry, i) => {
      generateOne(level, kind, field, i, entry, globalOptions, resources);
    });
  }
}

function fail(level: KustomizeLevel, path: PropertyKey[], message: string): void {
  const line = level.lineOf(path);
  level.findings.push(
    buildRenderFinding(
      'kustomize-generator',
      `Cannot generate an object in ${level.file}`,
      `${level.file}:${line ?? 1}: ${message}`,
      {
        file: level.file,
        line,
      },
    ),
  );
}

function generateOne(
  level: KustomizeLevel,
  kind: GeneratorKind,
  field: string,
  i: number,
  entry: unknown,
  globalOptions: JsonObject,
  resources: KustomizeResource[],
): void {
  if (!isPlainObject(entry) || typeof entry.name !== 'string' || !entry.name) {
    fail(level, [field, i], `\`${field}[${i}]\` needs a \`name\`.`);
    return;
  }
  const data: Record<string, string> = {};
  const binaryData: Record<string, string> = {};
  const put = (key: string, bytes: Uint8Array | string) => {
    if (key === '__proto__') {
      fail(
        level,
        [field, i],
        `the key \`__proto__\` is not allowed (it would replace the object's prototype).`,
      );
      return;
    }
    if (Object.hasOwn(data, key) || Object.hasOwn(binaryData, key)) {
      fail(
        level,
        [field, i],
        `${kind.toLowerCase()} \`${String(entry.name)}\` illegally repeats the key \`${key}\` (kustomize refuses that).`,
      );
      return;
    }
    const buffer = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : Buffer.from(bytes);
    if (kind === 'Secret') data[key] = encodeKustomizeBase64(buffer);
    else if (isText(buffer)) data[key] = buffer.toString('utf8');
    else binaryData[key] = buffer.toString('base64');
  };
  for (const literal of asStrings(entry.literals)) {
    const eq = literal.indexOf('=');
    if (eq <= 0) fail(level, [field, i, 'literals'], `literal \`${literal.slice(0, 40)}\` is not KEY=VALUE.`);
    else put(literal.slice(0, eq), unquote(literal.slice(eq + 1)));
  }
  for (const source of asStrings(entry.files)) {
    const eq = source.indexOf('=');
    const relative = eq > 0 ? source.slice(eq + 1) : source;
    const path = joinRepoPath(level.dir, relative);
    const content = path === undefined ? undefined : level.files.get(path);
    if (content === undefined) {
      fail(
        level,
        [field, i, 'files'],
        `file \`${relative}\` does not exist (relative to ${level.dir || '.'}).`,
      );
      continue;
    }
    put(eq > 0 ? source.slice(0, eq) : relative.slice(relative.lastIndexOf('/') + 1), content);
  }
  const envFiles = [...asStrings(entry.envs), ...asStrings(entry.env === undefined ? [] : [entry.env])];
  for (const relative of envFiles) {
    const path = joinRepoPath(level.dir, relative);
    const content = path === undefined ? undefined : level.files.get(path);
    if (content === undefined) {
      fail(level, [field, i, 'envs'], `env file \`${relative}\` does not exist.`);
      continue;
    }
    const text = typeof content === 'string' ? content : Buffer.from(content).toString('utf8');
    text.split(/\r?\n/).forEach((raw, n) => {
      // kustomize trims the start of a line only: `KEY = v` is the key `KEY ` and the value ` v`.
      const line = raw.trimStart();
      if (!line.trim() || line.startsWith('#')) return;
      const eq = line.indexOf('=');
      if (eq <= 0)
        fail(
          level,
          [field, i, 'envs'],
          `${path}:${n + 1}: \`${line.slice(0, 40)}\` is not KEY=VALUE (values from the environment are not supported).`,
        );
      else put(line.slice(0, eq), line.slice(eq + 1));
    });
  }
  const local = isPlainObject(entry.options) ? entry.options : {};
  // Like kustomize's MergeGlobalOptionsIntoLocal: labels and annotations merge key by key.
  const options: JsonObject = { ...globalOptions, ...local };
  for (const key of ['labels', 'annotations'] as const)
    if (isPlainObject(globalOptions[key]) || isPlainObject(local[key]))
      options[key] = {
        ...(isPlainObject(globalOptions[key]) ? globalOptions[key] : {}),
        ...(isPlainObject(local[key]) ? local[key] : {}),
      };
  const behavior = typeof entry.behavior === 'string' ? entry.behavior : 'create';
  const namespace = typeof entry.namespace === 'string' ? entry.namespace : undefined;
  const existing = resources.find(
    (r) =>
      r.object.kind === kind &&
      r.originalName === entry.name &&
      (namespace === undefined || metadataOf(r.object).namespace === namespace),
  );
  if (behavior === 'merge' || behavior === 'replace') {
    if (!existing) {
      fail(
        level,
        [field, i, 'behavior'],
        `\`${entry.name}\` has behavior ${behavior} but no ${kind} of that name comes from the resources.`,
      );
      return;
    }
    const o = existing.object;
    if (behavior === 'replace') {
      delete o.data;
      delete o.binaryData;
    }
    if (Object.keys(data).length) o.data = { ...(isPlainObject(o.data) ? o.data : {}), ...data };
    if (Object.keys(binaryData).length)
      o.binaryData = { ...(isPlainObject(o.binaryData) ? o.binaryData : {}), ...binaryData };
    applyOptions(o, options);
    if (options.disableNameSuffixHash === true) existing.hashSuffix = false;
    return;
  }
  if (behavior !== 'create') {
    fail(level, [field, i, 'behavior'], `behavior \`${behavior}\` is not one of create, merge, replace.`);
    return;
  }
  if (existing) {
    fail(
      level,
      [field, i, 'name'],
      `${kind} \`${entry.name}\` already exists; use \`behavior: merge\` or \`replace\`.`,
    );
    return;
  }
  const object: JsonObject = {
    apiVersion: 'v1',
    kind,
    metadata: { name: entry.name, ...(namespace ? { namespace } : {}) },
  };
  if (kind === 'Secret') object.type = typeof entry.type === 'string' ? entry.type : 'Opaque';
  if (Object.keys(data).length || kind === 'Secret') object.data = data;
  if (Object.keys(binaryData).length) object.binaryData = binaryData;
  applyOptions(object, options);
  const line = level.lineOf([field, i]) ?? 1;
  resources.push({
    object,
    originalName: entry.name,
    file: level.file,
    documentIndex: 0,
    line,
    lineOf: () => line,
    hashSuffix: options.disableNameSuffixHash !== true,
  });
}

function applyOptions(object: JsonObject, options: JsonObject): void {
  const meta = metadataOf(object);
  for (const field of ['labels', 'annotations'] as const) {
    if (isPlainObject(options[field])) {
      const current = isPlainObject(meta[field]) ? (meta[field] as JsonObject) : {};
      meta[field] = {
        ...current,
        ...Object.fromEntries(Object.entries(options[field]).map(([k, v]) => [k, String(v)])),
      };
    }
  }
  if (options.immutable === true) object.immutable = true;
}

function asStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** JSON as Go's encoding/json writes it: keys sorted, `<`, `>`, `&` escaped. */
function goJson(value: unknown): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : isPlainObject(v)
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((key) => [key, sort(v[key])]),
          )
        : v;
  return JSON.stringify(sort(value))
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * Kustomize 5's content hash of a generated ConfigMap or Secret (`api/hasher`): SHA-256 of the JSON
 * of `{kind, name, data}` (plus `binaryData` when it is a map; a Secret adds `type` and a
 * `stringData` map), first 10 hex digits with 0, 1, 3, a, e swapped for g, h, k, m, t. Kustomize
 * looks the name up as one field called `metadata/name`, which never exists, so `name` is always
 * empty; a missing `data` or `type` counts as an empty string; `immutable` and labels do not count.
 */
export function computeKustomizeHash(object: JsonObject): string {
  const encoded: JsonObject = { kind: object.kind, name: '', data: mapOrEmpty(object.data) };
  if (object.kind === 'Secret') {
    encoded.type = typeof object.type === 'string' ? object.type : '';
    if (isPlainObject(object.stringData)) encoded.stringData = object.stringData;
  } else if (isPlainObject(object.binaryData)) encoded.binaryData = object.binaryData;
  const hex = createHash('sha256').update(goJson(encoded)).digest('hex').slice(0, 10);
  const swap: Record<string, string> = { '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' };
  return hex.replace(/[013ae]/g, (c) => swap[c]!);
}

function mapOrEmpty(value: unknown): unknown {
  return isPlainObject(value) ? value : '';
}

/**
 * Base64 as kustomize writes Secret data: in lines of 70 characters, each ended by a newline, once
 * the encoding reaches 70 characters (shorter values stay on one line, without a newline).
 */
export function encodeKustomizeBase64(bytes: Buffer): string {
  const encoded = bytes.toString('base64');
  if (encoded.length < 70) return encoded;
  let out = '';
  for (let i = 0; i < encoded.length; i += 70) out += `${encoded.slice(i, i + 70)}\n`;
  return out;
}

/** Appends the content hash to generated objects' names (references follow in fixNameReferences). */
export function applyHashSuffixes(resources: KustomizeResource[]): void {
  for (const r of resources) {
    if (!r.hashSuffix) continue;
    renameResource(r, { name: `${nameOf(r.object)}-${computeKustomizeHash(r.object)}` });
    r.hashSuffix = false;
  }
}
