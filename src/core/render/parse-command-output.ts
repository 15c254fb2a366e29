import {
  DEFAULT_PARSE_LIMITS,
  type Manifest,
  type ParseLimits,
  parseManifests,
} from '../manifests/parse-manifests.ts';
import type { RenderedManifests } from './render-plain-folder.ts';

/** The pseudo-path of objects printed by an environment's render command. */
export function commandOutputPath(environment: string): string {
  return `<command output of env ${environment}>`;
}

/**
 * Parses the stdout of a render command. Documents preceded by helm's `# Source: chart/templates/x.yaml`
 * comment are attributed to the repository file that template comes from when exactly one file of
 * the tree ends with that path (without the chart name); the others keep the pseudo-path
 * `<command output of env X>` with their line in the output.
 */
export function parseCommandOutput(
  output: string,
  environment: string,
  treeFiles: readonly string[],
  limits: ParseLimits = DEFAULT_PARSE_LIMITS,
): RenderedManifests {
  const pseudo = commandOutputPath(environment);
  const sizeLimits = { ...limits, maxFileBytes: Number.MAX_SAFE_INTEGER };
  const out: RenderedManifests = { manifests: [], findings: [] };
  const lines = output.split('\n');
  let start = 0;
  const flush = (end: number) => {
    const chunk = lines.slice(start, end).join('\n');
    const offset = start;
    if (chunk.trim()) {
      const source = /^# Source: (.+)$/m.exec(chunk)?.[1]?.trim();
      const file = source ? mapSource(source, treeFiles) : undefined;
      const parsed = parseManifests(pseudo, chunk, sizeLimits);
      for (const m of parsed.manifests) out.manifests.push(relocate(m, file, offset));
      for (const f of parsed.findings) {
        out.findings.push({
          ...f,
          check: 'render',
          message: `${f.message} (output line ${(f.location?.line ?? 1) + offset}${source ? `, from ${source}` : ''})`,
          location: { file: file ?? pseudo, line: file ? 1 : (f.location?.line ?? 1) + offset },
        });
      }
    }
  };
  lines.forEach((line, i) => {
    if (/^---(\s|$)/.test(line)) {
      flush(i);
      start = i + 1;
    }
  });
  flush(lines.length);
  return out;
}

function mapSource(source: string, treeFiles: readonly string[]): string | undefined {
  const withoutChart = source.slice(source.indexOf('/') + 1);
  const candidates = treeFiles.filter((f) => f === source || f.endsWith(`/${withoutChart}`));
  return candidates.length === 1 ? candidates[0] : undefined;
}

function relocate(manifest: Manifest, file: string | undefined, offset: number): Manifest {
  if (file) return { ...manifest, file, line: 1, lineOf: () => undefined };
  return {
    ...manifest,
    line: manifest.line + offset,
    lineOf: (path) => {
      const line = manifest.lineOf(path);
      return line === undefined ? undefined : line + offset;
    },
  };
}
