import { DEFAULT_PARSE_LIMITS, type ParseLimits, type ParseResult } from './manifest.ts';
import { parseManifestsFromEvents } from './parse-manifests-from-events.ts';
import { isBinary, parseManifestsWithYaml } from './parse-manifests-with-yaml.ts';

export {
  DEFAULT_PARSE_LIMITS,
  type Manifest,
  type ParseLimits,
  type ParseResult,
  type PathSegment,
} from './manifest.ts';

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
