import { isMap, isScalar, isSeq, LineCounter, type Node, parseAllDocuments } from 'yaml';
import type { Finding } from '../findings/finding.ts';
import { dropUnsafeKeys } from '../safe-keys/drop-unsafe-keys.ts';
import { coerceMetadataToStrings, KUSTOMIZE_YAML_OPTIONS } from './kustomize-yaml-scalars.ts';
import type { ParseLimits, ParseResult, PathSegment } from './manifest.ts';
import { identifyResource } from './resource-identity.ts';

export function yamlFinding(
  file: string,
  rule: string,
  title: string,
  message: string,
  line?: number,
): Finding {
  return {
    check: 'yaml',
    rule,
    severity: 'error',
    blocking: true,
    title,
    message,
    remedy: 'Fix the file so that it is valid YAML; the rest of the report was still produced.',
    location: line ? { file, line } : { file },
  };
}

/** A `__proto__` key dropped from a parsed document (dropUnsafeKeys), with its line. */
export function unsafeKeyFinding(
  file: string,
  path: readonly PathSegment[],
  line: number | undefined,
): Finding {
  return yamlFinding(
    file,
    'yaml-unsafe-key',
    `Key \`__proto__\` in ${file}`,
    `${file}${line ? `:${line}` : ''}: the key \`${path.join('.')}\` is not allowed (it would replace an object's prototype); it was ignored.`,
    line,
  );
}

export function isBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 8000);
  for (let i = 0; i < n; i++) if (bytes[i] === 0) return true;
  return false;
}

/**
 * parseManifests through `yaml`'s full documents: the slow path, for the files the fast path
 * leaves to it (errors, aliases). Never throws: malformed YAML, duplicate keys, alias bombs,
 * oversized and binary files become findings with file and line, and the well-formed documents
 * of the file are still returned. `kind: List` objects are expanded into their items.
 */
export function parseManifestsWithYaml(
  file: string,
  content: string | Uint8Array,
  limits: ParseLimits,
): ParseResult {
  const result: ParseResult = { manifests: [], otherDocuments: 0, findings: [] };
  const size = typeof content === 'string' ? Buffer.byteLength(content) : content.length;
  if (size > limits.maxFileBytes) {
    result.findings.push(
      yamlFinding(
        file,
        'file-too-large',
        `${file} is too large to check`,
        `${file} is ${size} bytes; the limit is ${limits.maxFileBytes} bytes. It was not parsed.`,
      ),
    );
    return result;
  }
  if (typeof content !== 'string') {
    if (isBinary(content)) {
      result.findings.push(
        yamlFinding(
          file,
          'binary-file',
          `${file} is not text`,
          `${file} has a .yaml/.yml name but binary content.`,
        ),
      );
      return result;
    }
    content = Buffer.from(content).toString('utf8');
  }
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(content, { ...KUSTOMIZE_YAML_OPTIONS, lineCounter });
  const docList = Array.isArray(docs) ? docs : [docs];
  // Errors found at end of input (an unclosed bracket) point at the last line with text, not past it.
  const lastTextOffset = Math.max(0, content.trimEnd().length - 1);
  const lineAt = (offset: number) => lineCounter.linePos(Math.min(offset, lastTextOffset)).line;

  docList.forEach((doc, documentIndex) => {
    if (doc.errors.length > 0) {
      for (const error of doc.errors) {
        const line = error.pos ? lineAt(error.pos[0]) : undefined;
        const isDuplicate = /unique/i.test(error.message);
        result.findings.push(
          yamlFinding(
            file,
            isDuplicate ? 'yaml-duplicate-key' : 'yaml-syntax',
            isDuplicate ? `Duplicate key in ${file}` : `YAML syntax error in ${file}`,
            `${file}${line ? `:${line}` : ''}: ${error.message.split('\n')[0]}`,
            line,
          ),
        );
      }
      return;
    }
    if (doc.contents === null) return; // empty document (`---` alone, comments only)
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: limits.maxAliasCount });
    } catch (error) {
      const line = doc.contents?.range ? lineAt(doc.contents.range[0]) : undefined;
      const message = error instanceof Error ? error.message : String(error);
      const isAliasBomb = /alias/i.test(message);
      result.findings.push(
        yamlFinding(
          file,
          isAliasBomb ? 'yaml-alias-limit' : 'yaml-syntax',
          isAliasBomb ? `Too many YAML aliases in ${file}` : `YAML error in ${file}`,
          isAliasBomb
            ? `${file}${line ? `:${line}` : ''}: the document expands more than ${limits.maxAliasCount} aliases (a YAML alias bomb?); it was not loaded.`
            : `${file}${line ? `:${line}` : ''}: ${message}`,
          line,
        ),
      );
      return;
    }
    const root = doc.contents as Node;
    coerceMetadataToStrings(root, value);
    for (const path of dropUnsafeKeys(value, content)) {
      const line = lineOfPath(root, path, lineAt);
      result.findings.push(unsafeKeyFinding(file, path, line));
    }
    const pushObject = (object: unknown, node: Node | undefined, prefix: PathSegment[]) => {
      const identity = identifyResource(object);
      if (!identity) {
        result.otherDocuments++;
        return;
      }
      const start = node?.range ? lineAt(node.range[0]) : 1;
      result.manifests.push({
        file,
        documentIndex,
        line: start,
        identity,
        object: object as Record<string, unknown>,
        lineOf: (path) => lineOfPath(root, [...prefix, ...path], lineAt),
      });
    };
    const v = value as Record<string, unknown> | null;
    if (
      v &&
      typeof v === 'object' &&
      typeof v.kind === 'string' &&
      v.kind.endsWith('List') &&
      Array.isArray(v.items)
    ) {
      const itemsNode = isMap(root) ? (root.get('items', true) as Node | undefined) : undefined;
      v.items.forEach((item, i) => {
        const itemNode = isSeq(itemsNode) ? (itemsNode.items[i] as Node | undefined) : undefined;
        pushObject(item, itemNode, ['items', i]);
      });
      return;
    }
    pushObject(value, root, []);
  });
  return result;
}

/** Line of the node at `path`, or of the deepest ancestor that exists. */
function lineOfPath(
  root: Node,
  path: readonly PathSegment[],
  lineAt: (offset: number) => number,
): number | undefined {
  let node: unknown = root;
  let line = root.range ? lineAt(root.range[0]) : undefined;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => (isScalar(p.key) ? String(p.key.value) : p.key) === String(segment),
      );
      if (!pair) break;
      const keyNode = pair.key as Node | undefined;
      if (keyNode?.range) line = lineAt(keyNode.range[0]);
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (!item) break;
      if (item.range) line = lineAt(item.range[0]);
      node = item;
    } else {
      break;
    }
  }
  return line;
}
