import type { SourceLocation } from './finding.ts';

/** `path/to/file.yaml:12` (or just the path when the line is unknown). */
export function formatLocation(location: SourceLocation | undefined): string {
  if (!location) return '';
  return location.line ? `${location.file}:${location.line}` : location.file;
}
