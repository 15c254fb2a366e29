import type { Finding } from '../core/findings/finding.ts';
import { buildReport, type Report, type ReviewTarget } from '../core/report/report.ts';
import { checkYamlFiles, isYamlPath, type TextFile } from '../core/review/check-yaml-files.ts';
import type { ChangedFile } from './ports/changed-file.ts';
import type { SourceTree } from './ports/source-tree.ts';

export interface ReviewInput {
  target: ReviewTarget;
  head: SourceTree;
  /** The merge request's base: configuration and policies are read from here, never from head. */
  base?: SourceTree;
  changedFiles: readonly ChangedFile[];
}

/**
 * Reviews one change. The worker (for a merge request) and `tollgate check` (for two local refs)
 * both call this, so they give the same verdict for the same trees.
 */
export async function reviewChange(input: ReviewInput): Promise<Report> {
  const findings: Finding[] = [];
  const yamlFiles: TextFile[] = [];
  for (const file of input.changedFiles) {
    if (file.status === 'removed' || !isYamlPath(file.path)) continue;
    const content = await input.head.readFile(file.path);
    if (content) yamlFiles.push({ path: file.path, content });
  }
  findings.push(...checkYamlFiles(yamlFiles));
  return buildReport(input.target, findings, yamlFiles.length);
}
