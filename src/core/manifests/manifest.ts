import type { Finding, SourceLocation } from '../findings/finding.ts';
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
  /**
   * Where a rendered field's value was set when that is not `file` (an overlay's `replicas:` or
   * `images:` entry): the place a finding about it should point at. Undefined: `file`/`lineOf`.
   */
  originOf?(path: readonly PathSegment[]): SourceLocation | undefined;
}

export interface ParseLimits {
  /** Files larger than this are refused with a finding (bytes). */
  maxFileBytes: number;
  /** YAML aliases a document may expand (alias bombs). */
  maxAliasCount: number;
  /** Not a limit, but it travels with them to every parse of a render: parsed files to reuse. */
  cache?: ParseCache;
}

export const DEFAULT_PARSE_LIMITS: ParseLimits = { maxFileBytes: 4 * 1024 * 1024, maxAliasCount: 100 };

export interface ParseResult {
  manifests: Manifest[];
  /** Documents that parsed but are not Kubernetes objects (CI files, Helm values...). */
  otherDocuments: number;
  findings: Finding[];
}

/** Reuses parsed files (implemented by createParsedManifestCache). */
export interface ParseCache {
  /** The cached result for this file and content, or the one `parse` gives (then cached). */
  parse(file: string, content: string | Uint8Array, limitsKey: string, parse: () => ParseResult): ParseResult;
}
