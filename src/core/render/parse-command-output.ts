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
 * `<command output of env X>` with their line in the output. With `readTemplate` (the template's
 * text), lines point into the template: the document at the template line equal (trimmed) to its
 * first rendered line, a field at the first later template line equal to its rendered line, or
 * else the only later line with the same `key:`; otherwise the document's line (1 when not found).
 */
export function parseCommandOutput(
  output: string,
  environment: string,
  treeFiles: readonly string[],
  limits: ParseLimits = DEFAULT_PARSE_LIMITS,
  readTemplate?: (path: string) => string | undefined,
): RenderedManifests {
  const templates = new Map<string, string[] | undefined>();
  const templateLines = (file: string) => {
    if (!templates.has(file))
      templates.set(
        file,
        readTemplate?.(file)
          ?.split('\n')
          .map((l) => l.trim()),
      );
    return templates.get(file);
  };
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
      const template = file ? templateLines(file) : undefined;
      const chunkLines = template ? chunk.split('\n') : [];
      for (const m of parsed.manifests)
        out.manifests.push(relocate(m, file, offset, template && { lines: template, chunkLines }));
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

interface TemplateText {
  /** Template lines, trimmed. */
  lines: string[];
  /** Lines of the rendered chunk the manifest was parsed from. */
  chunkLines: string[];
}

function relocate(
  manifest: Manifest,
  file: string | undefined,
  offset: number,
  template?: TemplateText,
): Manifest {
  if (file && template) return mapToTemplate(manifest, file, template);
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

function mapToTemplate(manifest: Manifest, file: string, { lines, chunkLines }: TemplateText): Manifest {
  const renderedAt = (line: number) => chunkLines[line - 1]?.trim() ?? '';
  let firstLine = manifest.line;
  while (firstLine <= chunkLines.length && /^(#|$)/.test(renderedAt(firstLine))) firstLine++;
  const first = renderedAt(firstLine);
  const start = first ? lines.indexOf(first) : -1;
  const docLine = start >= 0 ? start + 1 : 1;
  const from = Math.max(start, 0);
  return {
    ...manifest,
    file,
    line: docLine,
    lineOf: (path) => {
      const rendered = manifest.lineOf(path);
      if (rendered === undefined) return undefined;
      const text = renderedAt(rendered);
      if (!text) return undefined;
      const exact = lines.indexOf(text, from);
      if (exact >= 0) return exact + 1;
      const key = /^(- )?[^\s:{[][^:]*:(\s|$)/.exec(text)?.[0]?.trimEnd();
      if (!key) return undefined;
      let found = -1;
      for (let i = from; i < lines.length; i++) {
        if (!lines[i]!.startsWith(key)) continue;
        if (found >= 0) return undefined;
        found = i;
      }
      return found >= 0 ? found + 1 : undefined;
    },
  };
}
