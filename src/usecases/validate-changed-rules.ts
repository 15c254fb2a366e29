import { parseTollgateConfig } from '../core/config/parse-tollgate-config.ts';
import type { TollgateConfig } from '../core/config/tollgate-config.ts';
import type { Finding } from '../core/findings/finding.ts';
import { parseManifests } from '../core/manifests/parse-manifests.ts';
import { loadCelPolicies } from '../core/policy/cel-policies/load-cel-policy.ts';
import { loadPolicies } from '../core/policy/load-policies.ts';
import { loadPolicyFiles } from './load-policy-files.ts';
import { CONFIG_FILES } from './load-repository-config.ts';
import type { ChangedFile } from './ports/changed-file.ts';
import type { SourceTree } from './ports/source-tree.ts';

export interface ChangedRules {
  /** `.tollgate.yml` and policy files this change adds or edits (they judge only after merge). */
  files: string[];
  /** Their problems, blocking: a typo must stop the change that makes it, not every later one. */
  findings: Finding[];
}

const REMEDY =
  'Fix it in this merge request: the base branch’s rules judge it, and these become the rules once it merges.';

/**
 * The base branch's `.tollgate.yml` and policies judge a change (a change cannot loosen its own
 * gate). But a change that edits them gets the new files validated in the same review, so
 * `enviroments:` or `patern:` blocks the change that introduces it instead of every change after it.
 */
export async function validateChangedRules(
  head: SourceTree,
  changedFiles: readonly ChangedFile[],
  baseConfig: TollgateConfig,
  baseFindings: readonly Finding[],
): Promise<ChangedRules> {
  const touched = new Set(changedFiles.filter((f) => f.status !== 'removed').map((f) => f.path));
  const files: string[] = [];
  const findings: Finding[] = [];
  let policyFolders = baseConfig.policies;
  for (const file of CONFIG_FILES) {
    if (!touched.has(file)) continue;
    const bytes = await head.readFile(file);
    if (!bytes) continue;
    files.push(file);
    const parsed = parseTollgateConfig(Buffer.from(bytes).toString('utf8'), file);
    if (parsed.config) policyFolders = parsed.config.policies;
    findings.push(...parsed.findings);
  }
  const policyFiles = (await loadPolicyFiles(head, policyFolders)).filter((p) => touched.has(p.path));
  if (policyFiles.length) {
    files.push(...policyFiles.map((p) => p.path));
    findings.push(...loadPolicies(policyFiles).findings.filter((f) => f.blocking));
    const manifests = policyFiles.flatMap((p) => parseManifests(p.path, p.content).manifests);
    findings.push(...loadCelPolicies(manifests).findings.filter((f) => f.blocking));
  }
  // A problem the base already has is reported once, from the base.
  const known = new Set(baseFindings.map((f) => `${f.location?.file}:${f.location?.line}:${f.message}`));
  return {
    files,
    findings: findings
      .filter((f) => !known.has(`${f.location?.file}:${f.location?.line}:${f.message}`))
      .map((f) => ({ ...f, title: `${f.title} (changed in this merge request)`, remedy: REMEDY })),
  };
}
