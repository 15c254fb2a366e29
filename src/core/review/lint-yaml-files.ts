import type { Finding } from '../findings/finding.ts';
import { DEFAULT_PARSE_LIMITS, type ParseLimits } from '../manifests/parse-manifests.ts';
import { checkKubernetesShape } from './check-kubernetes-shape.ts';
import { checkYamlFiles, isYamlPath, type TextFile } from './check-yaml-files.ts';

/**
 * The YAML checks alone (what `tollgate lint` runs, e.g. from a pre-commit hook): syntax,
 * duplicate keys and limits, then the Kubernetes shape of each well-formed file.
 */
export function lintYamlFiles(
  files: readonly TextFile[],
  limits: ParseLimits = DEFAULT_PARSE_LIMITS,
): Finding[] {
  const findings = checkYamlFiles(files, limits);
  // Files refused whole (too large, binary) are not parsed again; a file with a broken document still
  // gets its well-formed documents checked.
  const refused = new Set(
    findings
      .filter((f) => f.rule === 'file-too-large' || f.rule === 'binary-file')
      .map((f) => f.location?.file),
  );
  for (const file of files) {
    if (!isYamlPath(file.path) || refused.has(file.path)) continue;
    const text = typeof file.content === 'string' ? file.content : Buffer.from(file.content).toString('utf8');
    findings.push(...checkKubernetesShape(file.path, text));
  }
  return findings;
}
