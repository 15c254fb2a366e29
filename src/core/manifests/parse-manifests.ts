import type { Finding } from '../findings/finding.ts';
import { parseManifestsFromEvents } from './parse-manifests-from-events.ts';
import { isBinary, parseManifestsWithYaml } from './parse-manifests-with-yaml.ts';
import type { ParsedManifestCache } from './parsed-manifest-cache.ts';
import type { ResourceIdentity } from './resource-identity.ts';

export type PathSegment = string | number;

/** One YAML document of a file that holds a Kubernetes object (`apiVersion` + `kind`). */
export interface Manifest {
  /** Repository-relative path of the file it came from. */
  file: string;
  /** 0-based index of the document in its file. */
  documentIndex: number;
  /** 1-based line where the object starts. */
  line: number;
  identity: ResourceIdentity;
  /** The object as plain JSON-compatible data. */
  object: Record<string, unknown>;
  /** Line of the field at `path` (or of its nearest existing parent); undefined when the object was built, not parsed. */
  lineOf(path: readonly PathSegment[]): number | undefined;
}

export interface ParseLimits {
  /** Files larger than this are refused with a finding (bytes). */
  maxFileBytes: number;
  /** YAML aliases a document may expand (alias bombs). */
  maxAliasCount: number;
  /** Not a limit, but it travels with them to every parse of a render: parsed files to reuse. */
  cache?: ParsedManifestCache;
}

export const DEFAULT_PARSE_LIMITS: ParseLimits = { maxFileBytes: 4 * 1024 * 1024, maxAliasCount: 100 };

export interface ParseResult {
  manifests: Manifest[];
  /** Documents that parsed but are not Kubernetes objects (CI files, Helm values...). */
  otherDocuments: number;
  findings: Finding[];
}

/**
 * Parses one file of (multi-document) YAML into Kubernetes objects that remember their lines.
 * Never throws: malformed YAML, duplicate keys, alias bombs, oversized and binary files become
 * findings with file and line, and the well-formed documents of the file are still returned.
 * `kind: List` objects are expanded into their items.
 *
 * Well-formed files without aliases take the fast path (js-yaml events: data at about js-yaml's
 * cost, lines resolved when a finding or a diff asks for them); every other file is parsed with
 * `yaml`'s full documents, whose errors name line and cause. Both read YAML 1.2 (core schema) with
 * merge keys and unique keys. The result's objects may be shared (see ParsedManifestCache):
 * callers copy before they change one.
 */
export function parseManifests(
  file: string,
  content: string | Uint8Array,
  limits: ParseLimits = DEFAULT_PARSE_LIMITS,
): ParseResult {
  if (limits.cache)
    return limits.cache.parse(file, content, `${limits.maxFileBytes}:${limits.maxAliasCount}`, () =>
      parseFile(file, content, limits),
    );
  return parseFile(file, content, limits);
}

function parseFile(file: string, content: string | Uint8Array, limits: ParseLimits): ParseResult {
  const size = typeof content === 'string' ? Buffer.byteLength(content) : content.length;
  if (size > limits.maxFileBytes || (typeof content !== 'string' && isBinary(content)))
    return parseManifestsWithYaml(file, content, limits);
  const text = typeof content === 'string' ? content : Buffer.from(content).toString('utf8');
  return parseManifestsFromEvents(file, text) ?? parseManifestsWithYaml(file, text, limits);
}
