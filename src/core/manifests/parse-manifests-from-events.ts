import {
  CORE_SCHEMA,
  constructFromEvents,
  EVENT_ID,
  getScalarValue,
  mergeTag,
  parseEvents,
  SCALAR_STYLE,
} from 'js-yaml';
import { dropUnsafeKeys } from '../safe-keys/drop-unsafe-keys.ts';
import type { Manifest, ParseResult, PathSegment } from './manifest.ts';
import { unsafeKeyFinding } from './parse-manifests-with-yaml.ts';
import { identifyResource } from './resource-identity.ts';

type YamlEvent = ReturnType<typeof parseEvents>[number];

/** YAML 1.2 core schema with merge keys (`<<`), as parseManifestsWithYaml reads it (`merge: true`). */
const SCHEMA = CORE_SCHEMA.withTags(mergeTag);

/** Offsets of the line starts of `text`, for 1-based line numbers by binary search. */
function indexLines(text: string): Int32Array {
  let count = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) count++;
  const starts = new Int32Array(count);
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts[n++] = i + 1;
  return starts;
}

function lineAt(starts: Int32Array, offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

function startOf(event: YamlEvent): number | undefined {
  if (event.type === EVENT_ID.SCALAR) return event.anchorStart >= 0 ? event.anchorStart : event.valueStart;
  if (event.type === EVENT_ID.MAPPING || event.type === EVENT_ID.SEQUENCE)
    return event.anchorStart >= 0 ? event.anchorStart : event.start;
  return undefined;
}

/** Index of the event after the node that starts at `i` (a scalar, an alias or a whole collection). */
function skipNode(events: readonly YamlEvent[], i: number): number {
  const type = events[i]!.type;
  if (type !== EVENT_ID.MAPPING && type !== EVENT_ID.SEQUENCE) return i + 1;
  let depth = 0;
  for (let j = i; j < events.length; j++) {
    const t = events[j]!.type;
    if (t === EVENT_ID.MAPPING || t === EVENT_ID.SEQUENCE) depth++;
    else if (t === EVENT_ID.POP && --depth === 0) return j + 1;
  }
  return events.length;
}

/**
 * Offset of the node at `path` below the node at event `root`, or of the deepest ancestor that
 * exists (as parseManifestsWithYaml's lineOf: a mapping key's own position, a sequence item's).
 */
function offsetOfPath(
  text: string,
  events: readonly YamlEvent[],
  root: number,
  path: readonly PathSegment[],
) {
  let node = root;
  let offset = startOf(events[root]!);
  for (const segment of path) {
    const event = events[node]!;
    let found = -1;
    if (event.type === EVENT_ID.MAPPING) {
      for (let i = node + 1; i < events.length && events[i]!.type !== EVENT_ID.POP; ) {
        const key = events[i]!;
        const valueAt = skipNode(events, i);
        if (key.type === EVENT_ID.SCALAR && getScalarValue(text, key) === String(segment)) {
          offset = startOf(key);
          found = valueAt;
          break;
        }
        i = skipNode(events, valueAt);
      }
    } else if (event.type === EVENT_ID.SEQUENCE && typeof segment === 'number') {
      let i = node + 1;
      for (let k = 0; k < segment && i < events.length && events[i]!.type !== EVENT_ID.POP; k++)
        i = skipNode(events, i);
      if (i < events.length && events[i]!.type !== EVENT_ID.POP) {
        offset = startOf(events[i]!) ?? offset;
        found = i;
      }
    }
    if (found < 0 || found >= events.length) break;
    node = found;
  }
  return offset;
}

const NULL_KEY = /^(~|null|Null|NULL)?$/;

/**
 * Plain scalars kustomize (go-yaml) reads differently from YAML 1.2's core schema (`0644`, `1_000`,
 * `0b101`, `+12`, `.5`, timestamps...): such a file takes the `yaml` path, which reads them as
 * kustomize does (see kustomize-yaml-scalars.ts).
 */
const GO_SCALAR =
  /^[-+]?(?:0[0-9bB_]|[0-9][0-9]*_|\+|\.[0-9])|^[-+]?[0-9][0-9_]*\.[0-9_]*_|^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}/;

/**
 * False when the yaml path could read the events differently: an alias (its expansion limit
 * applies), a key that is a collection or a null (`~:` is the key "" there, "null" here).
 */
function isPlainData(text: string, events: readonly YamlEvent[]): boolean {
  // Per open collection: is it a mapping, and how many nodes it has so far (even: next is a key).
  const stack: { mapping: boolean; count: number }[] = [];
  for (const event of events) {
    if (event.type === EVENT_ID.ALIAS) return false;
    if (event.type === EVENT_ID.POP) {
      stack.pop();
      continue;
    }
    if (event.type === EVENT_ID.DOCUMENT) {
      stack.push({ mapping: false, count: 0 });
      continue;
    }
    const parent = stack[stack.length - 1];
    if (parent) {
      if (
        event.type === EVENT_ID.SCALAR &&
        event.style === SCALAR_STYLE.PLAIN &&
        event.tagStart < 0 &&
        event.valueStart >= 0 &&
        GO_SCALAR.test(text.slice(event.valueStart, event.valueEnd))
      )
        return false;
      if (parent.mapping && parent.count % 2 === 0) {
        if (event.type !== EVENT_ID.SCALAR) return false;
        const plain = event.style === SCALAR_STYLE.PLAIN && event.tagStart < 0;
        if (plain && (event.valueStart < 0 || NULL_KEY.test(text.slice(event.valueStart, event.valueEnd))))
          return false;
      }
      parent.count++;
    }
    if (event.type === EVENT_ID.MAPPING || event.type === EVENT_ID.SEQUENCE)
      stack.push({ mapping: event.type === EVENT_ID.MAPPING, count: 0 });
  }
  return true;
}

/** Annotation values that are not strings (or null labels), which the `yaml` path turns into their text. */
function hasNonStringAnnotations(value: unknown): boolean {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  if (Array.isArray(v.items) && v.items.some(hasNonStringAnnotations)) return true;
  const meta = v.metadata as Record<string, unknown> | undefined;
  if (!meta || typeof meta !== 'object') return false;
  const annotations = meta.annotations as Record<string, unknown> | undefined;
  const labels = meta.labels as Record<string, unknown> | undefined;
  return (
    (!!annotations &&
      typeof annotations === 'object' &&
      Object.values(annotations).some((a) => typeof a !== 'string')) ||
    (!!labels && typeof labels === 'object' && Object.values(labels).some((l) => l === null))
  );
}

/**
 * The fast path of parseManifests: js-yaml's event parser (source offsets, no document tree) and
 * its constructor for the data, with the YAML semantics parseManifestsWithYaml has (1.2 core
 * schema, merge keys, unique keys). Lines are resolved only when asked for, from the events.
 * Returns undefined, leaving the file to the `yaml` path, whenever that path could answer
 * differently: any syntax error or duplicate key (its findings name the line and the cause),
 * any alias (its alias-expansion limit applies), collection and null keys, plain scalars that
 * kustomize reads otherwise than YAML 1.2 (GO_SCALAR), and annotations that are not strings.
 */
export function parseManifestsFromEvents(file: string, text: string): ParseResult | undefined {
  let events: YamlEvent[];
  let documents: unknown[];
  try {
    events = parseEvents(text, {});
    if (!isPlainData(text, events)) return undefined;
    documents = constructFromEvents(events, { source: text, schema: SCHEMA });
  } catch {
    return undefined;
  }
  const result: ParseResult = { manifests: [], otherDocuments: 0, findings: [] };
  let starts: Int32Array | undefined;
  const line = (offset: number | undefined) => {
    if (offset === undefined) return undefined;
    starts ??= indexLines(text);
    return lineAt(starts, offset);
  };

  let documentIndex = -1;
  for (let i = 0; i < events.length; i++) {
    if (events[i]!.type !== EVENT_ID.DOCUMENT) continue;
    documentIndex++;
    const root = i + 1;
    const value = documents[documentIndex];
    for (const path of dropUnsafeKeys(value, text))
      result.findings.push(unsafeKeyFinding(file, path, line(offsetOfPath(text, events, root, path))));
    i = skipNode(events, root); // to the document's POP
    if (value === null || value === undefined) {
      result.otherDocuments++; // as the yaml path counts an empty document: a null scalar
      continue;
    }
    if (hasNonStringAnnotations(value)) return undefined;
    const index = documentIndex;
    const push = (object: unknown, prefix: PathSegment[]) => {
      const identity = identifyResource(object);
      if (!identity) {
        result.otherDocuments++;
        return;
      }
      const manifest: Manifest = {
        file,
        documentIndex: index,
        line: line(offsetOfPath(text, events, root, prefix)) ?? 1,
        identity,
        object: object as Record<string, unknown>,
        lineOf: (path) => line(offsetOfPath(text, events, root, [...prefix, ...path])),
      };
      result.manifests.push(manifest);
    };
    const v = value as Record<string, unknown>;
    if (
      typeof v === 'object' &&
      typeof v.kind === 'string' &&
      v.kind.endsWith('List') &&
      Array.isArray(v.items)
    )
      for (const [k, item] of v.items.entries()) push(item, ['items', k]);
    else push(value, []);
  }
  return result;
}
