import {
  type CollectionTag,
  type DocumentOptions,
  isMap,
  isScalar,
  isSeq,
  type Node,
  type ParseOptions,
  type ScalarTag,
  type SchemaOptions,
  type ToJSOptions,
} from 'yaml';

/**
 * Plain (unquoted) scalars read as kustomize reads them (go-yaml v3 under kyaml, checked against
 * `kubectl kustomize`): besides YAML 1.2's core schema, an integer is whatever Go's
 * `strconv.ParseInt(s, 0, 64)` accepts once underscores are removed, so `0644` is octal (420),
 * `0x_1F`, `0b101`, `0o17`, `1_000` are numbers; what fails as an integer but looks like a float
 * is a float (`09` is 9); `yes`, `on`, `y` stay strings; a timestamp (`2001-12-14`,
 * `2001-12-14T21:59:43.10-05:00`) becomes the RFC 3339 text Go prints for it.
 */

const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;
const GO_INT = /^[-+]?(?:0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[1-9][0-9]*|0)$/;

function parseGoInt(text: string): number | undefined {
  if (!GO_INT.test(text)) return undefined;
  const negative = text.startsWith('-');
  const body = text.replace(/^[-+]/, '');
  let n: number;
  if (/^0[xX]/.test(body)) n = Number.parseInt(body.slice(2), 16);
  else if (/^0[bB]/.test(body)) n = Number.parseInt(body.slice(2), 2);
  else if (/^0[oO]/.test(body)) n = Number.parseInt(body.slice(2), 8);
  else if (body.length > 1 && body.startsWith('0')) n = Number.parseInt(body.slice(1), 8);
  else n = Number.parseInt(body, 10);
  return negative ? -n : n;
}

/** A plain scalar starting like a number, as go-yaml v3 resolves it (the text itself when it is a string). */
export function resolveGoNumber(text: string): number | string {
  const plain = text.replace(/_/g, '');
  const int = parseGoInt(plain);
  if (int !== undefined) return int;
  if (FLOAT.test(plain)) return Number.parseFloat(plain);
  return text;
}

const TIMESTAMP =
  /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:[Tt]|[ \t]+)([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})(?:\.([0-9]+))?(?:[ \t]*(Z|[-+][0-9]{2}:[0-9]{2}))?)?$/;

/** A timestamp as Go's `time.Time` marshals to JSON (RFC 3339, fraction without trailing zeros). */
export function resolveGoTimestamp(text: string): string {
  const m = TIMESTAMP.exec(text);
  if (!m) return text;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const two = (v: string | undefined) => (v ?? '0').padStart(2, '0');
  const date = `${y}-${two(mo)}-${two(d)}`;
  if (h === undefined) return `${date}T00:00:00Z`;
  // The space-separated form carries no zone in go-yaml's layouts: anything after it is not a timestamp.
  if (zone && !/[Tt]/.test(text.slice(10, 11))) return text;
  const fraction = frac ? frac.slice(0, 9).replace(/0+$/, '') : '';
  const offset = !zone || zone === 'Z' || zone === '+00:00' ? 'Z' : zone;
  return `${date}T${two(h)}:${two(mi)}:${two(s)}${fraction ? `.${fraction}` : ''}${offset}`;
}

const goNumber: ScalarTag = {
  tag: 'tag:yaml.org,2002:int',
  default: true,
  test: /^[-+]?[0-9][0-9a-fA-FxXoObB_.eE+-]*$|^[-+]?\.[0-9][0-9_eE+-]*$/,
  resolve: (text) => resolveGoNumber(text),
  identify: (value) => typeof value === 'number',
};

const goTimestamp: ScalarTag = {
  tag: 'tag:yaml.org,2002:timestamp',
  default: true,
  test: TIMESTAMP,
  resolve: (text) => resolveGoTimestamp(text),
};

function withGoScalars(all: readonly unknown[]): (CollectionTag | ScalarTag)[] {
  const tags = all.filter((t): t is CollectionTag | ScalarTag => typeof t === 'object' && t !== null);
  const numbers = tags.filter(
    (t) =>
      (t.tag === 'tag:yaml.org,2002:int' || t.tag === 'tag:yaml.org,2002:float') &&
      !('format' in t && (t.format === 'NAN' || t.format === 'INF')) &&
      !String((t as ScalarTag).test ?? '').includes('inf'),
  );
  return [goTimestamp, goNumber, ...tags.filter((t) => !numbers.includes(t))];
}

/** Parse options that read scalars the way kustomize does (see the module comment). */
export const KUSTOMIZE_YAML_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions & ToJSOptions = {
  version: '1.2',
  schema: 'core',
  customTags: withGoScalars,
  merge: true,
  uniqueKeys: true,
  prettyErrors: false,
};

function coerceMap(node: unknown, value: unknown, keepNull: boolean, onlyNull = false): void {
  if (!isMap(node) || !value || typeof value !== 'object' || Array.isArray(value)) return;
  const map = value as Record<string, unknown>;
  for (const pair of node.items) {
    if (!isScalar(pair.key)) continue;
    const key = String(pair.key.value);
    if (typeof map[key] === 'string' || !Object.hasOwn(map, key)) continue;
    if ((keepNull || onlyNull) && map[key] === null) {
      if (onlyNull && !keepNull) map[key] = 'null';
      continue;
    }
    if (onlyNull) continue;
    // The text as written (`1.50` stays "1.50"; an empty value or `null` becomes "null" for kustomize too).
    map[key] = isScalar(pair.value)
      ? (pair.value.source ?? String(pair.value.value))
      : pair.value
        ? String(map[key])
        : '';
  }
}

/**
 * Annotation values that are not strings become the text they were written as, as kustomize
 * makes them (`revision: 3` is the annotation "3"; `enabled: true` is "true"); label values
 * keep their type (kustomize leaves `v: 2` a number), except a `null` one (below). Works
 * on the parsed document (`node`) and its JSON value together; objects of a `List` too. With
 * `keepNull` a `null` stays (a patch given in `patches` deletes the key); otherwise it is the text
 * "null" (a `patchesStrategicMerge` patch sets the label or annotation to "null" under kustomize).
 */
export function coerceMetadataToStrings(node: Node | null, value: unknown, keepNull = false): void {
  if (!isMap(node) || !value || typeof value !== 'object' || Array.isArray(value)) return;
  const object = value as Record<string, unknown>;
  const items = node.get('items', true);
  if (isSeq(items) && Array.isArray(object.items))
    items.items.forEach((item, i) => {
      coerceMetadataToStrings(item as Node, (object.items as unknown[])[i], keepNull);
    });
  const meta = node.get('metadata', true);
  const metaValue = object.metadata as Record<string, unknown> | undefined;
  if (!isMap(meta) || !metaValue || typeof metaValue !== 'object') return;
  coerceMap(meta.get('labels', true), metaValue.labels, keepNull, true);
  coerceMap(meta.get('annotations', true), metaValue.annotations, keepNull);
}
