import { checkMergeRequestBranch } from '../core/branch/check-merge-request-branch.ts';
import { applyOverrides } from '../core/chatops/apply-overrides.ts';
import type { CheckOverride } from '../core/chatops/check-override.ts';
import { type EnvironmentLock, findLockFindings } from '../core/chatops/find-lock-findings.ts';
import type { TollgateConfig } from '../core/config/tollgate-config.ts';
import { diffEnvironments } from '../core/diff/diff-manifests.ts';
import { driftToFindings } from '../core/diff/drift-to-findings.ts';
import { findEnvironmentDrift } from '../core/diff/find-environment-drift.ts';
import type { EnvironmentDiff } from '../core/diff/manifest-diff.ts';
import type { Finding } from '../core/findings/finding.ts';
import { type Manifest, parseManifests } from '../core/manifests/parse-manifests.ts';
import {
  createParsedManifestCache,
  type ParsedManifestCache,
} from '../core/manifests/parsed-manifest-cache.ts';
import { type AdmittedManifests, admitManifests } from '../core/policy/admit-manifests.ts';
import type { CelPolicy } from '../core/policy/cel-policies/cel-policy.ts';
import { loadCelPolicies } from '../core/policy/cel-policies/load-cel-policy.ts';
import { collectNamespaces } from '../core/policy/evaluate-policies.ts';
import type { KyvernoPolicy } from '../core/policy/kyverno-policy.ts';
import { loadPolicies, type PolicyFile } from '../core/policy/load-policies.ts';
import type { PolicyResult } from '../core/policy/policy-result.ts';
import { policyResultsToFindings } from '../core/policy/policy-results-to-findings.ts';
import { selectChangedManifests } from '../core/policy/select-changed-manifests.ts';
import type { RenderedEnvironment } from '../core/render/render-native-environment.ts';
import { buildReport, type PolicySummary, type Report, type ReviewTarget } from '../core/report/report.ts';
import { applyBlockingChecks } from '../core/review/apply-blocking-checks.ts';
import { checkYamlFiles, isYamlPath, type TextFile } from '../core/review/check-yaml-files.ts';
import { splitNewFindings } from '../core/review/split-new-findings.ts';
import { analyzeRoutes } from '../core/routes/analyze-routes.ts';
import { listChangedRouteObjects } from '../core/routes/find-cross-change-conflicts.ts';
import {
  type CrossChangeSummary,
  findCrossChangeFindings,
} from '../core/routes/find-cross-change-findings.ts';
import { routeFindingsToFindings } from '../core/routes/route-findings-to-findings.ts';
import type { RouteSnapshot } from '../core/routes/route-snapshot.ts';
import { loadPolicyFiles } from './load-policy-files.ts';
import { loadRepositoryConfig } from './load-repository-config.ts';
import type { ChangedFile } from './ports/changed-file.ts';
import type { EnvironmentRenderer } from './ports/environment-renderer.ts';
import type { SourceTree } from './ports/source-tree.ts';
import { validateChangedRules } from './validate-changed-rules.ts';

export interface ReviewInput {
  target: ReviewTarget;
  head: SourceTree;
  /** The merge request's base: configuration and policies are read from here, never from head. */
  base: SourceTree;
  changedFiles: readonly ChangedFile[];
  /** Tollgate's shipped policies, used when the repository has no policy folder of its own. */
  shippedPolicies?: readonly PolicyFile[];
  /** Renders the environments of base and head (src/adapters/render, with the caller's runner). */
  render: EnvironmentRenderer;
  /** The merge request's branches (the CLI passes the refs it compared). */
  branch?: { sourceBranch: string; targetBranch: string; behindBy?: number };
  /** Frozen environments (`/tollgate lock`): a change that touches one is blocked. */
  locks?: readonly EnvironmentLock[];
  /** `/tollgate override` records for this merge request. */
  overrides?: readonly CheckOverride[];
  /** Other open merge requests to the same target branch, as last analysed (route objects only). */
  otherChanges?: readonly RouteSnapshot[];
  /** How another merge request is named in messages (`!12` on GitLab, `#12` on GitHub). */
  changeLabel?: (number: number) => string;
  /** Parsed files to reuse: a worker keeps one across reviews; otherwise one per review (base and head share it). */
  parseCache?: ParsedManifestCache;
  /** Monotonic clock (ms) for the stage times of `stats`. */
  now?: () => number;
}

/** A parse cache for one review when the caller keeps none: the size of the trees it reads. */
const REVIEW_PARSE_CACHE_BYTES = 512 * 1024 * 1024;

/** The report, and what the review keeps for checking other merge requests against this one. */
export interface ReviewDetail {
  report: Report;
  /** Per environment, the route-relevant objects this change adds or alters (head vs base). */
  routeObjects: { environment: string; manifests: RenderedEnvironment['manifests'] }[];
  /** Route conflicts with other open merge requests, by merge request. */
  crossChange: CrossChangeSummary[];
}

async function readChangedYaml(head: SourceTree, changedFiles: readonly ChangedFile[]): Promise<TextFile[]> {
  const files: TextFile[] = [];
  for (const file of changedFiles) {
    if (file.status === 'removed' || !isYamlPath(file.path)) continue;
    const content = await head.readFile(file.path);
    if (content) files.push({ path: file.path, content });
  }
  return files;
}

interface ChosenPolicies {
  policies: KyvernoPolicy[];
  /** ValidatingPolicy, ValidatingAdmissionPolicy, MutatingPolicy, GeneratingPolicy. */
  celPolicies: CelPolicy[];
  findings: Finding[];
  source: PolicySummary['source'];
}

/** Kyverno ClusterPolicy/Policy and the CEL policy kinds of the same files. */
function loadAllPolicies(files: readonly PolicyFile[], source: PolicySummary['source']): ChosenPolicies {
  const classic = loadPolicies([...files]);
  const cel = loadCelPolicies(files.flatMap((f) => parseManifests(f.path, f.content).manifests));
  return {
    policies: classic.policies,
    celPolicies: cel.policies,
    findings: [...classic.findings, ...cel.findings],
    source,
  };
}

/** The repository's policy folders at base; Tollgate's shipped policies when it has none. */
async function choosePolicies(
  base: SourceTree,
  config: TollgateConfig,
  shipped: readonly PolicyFile[],
): Promise<ChosenPolicies> {
  const files = await loadPolicyFiles(base, config.policies);
  if (files.length > 0) return loadAllPolicies(files, 'repository');
  if (config.policiesDeclared || shipped.length === 0) {
    return { policies: [], celPolicies: [], findings: [], source: 'none' };
  }
  return loadAllPolicies(shipped, 'shipped');
}

interface AdmittedSide {
  /** Per environment, the admission of the objects policies must see. */
  byEnvironment: Map<string, AdmittedManifests>;
  results: PolicyResult[];
  findings: Finding[];
}

/**
 * Admission of what the change made or altered (head) and of the base versions of those objects:
 * mutate, then validate and generate on the mutated objects. Objects the change left as they are
 * at base would be admitted the same on both sides: they are counted, not evaluated, and the
 * diff shows no change for them either way. Returns both renders with the admitted objects as
 * the cluster stores them.
 */
function admitChanges(
  chosen: ChosenPolicies,
  baseRendered: RenderedEnvironment[],
  headRendered: RenderedEnvironment[],
) {
  const head: AdmittedSide = { byEnvironment: new Map(), results: [], findings: [] };
  const base: AdmittedSide = { byEnvironment: new Map(), results: [], findings: [] };
  const counts = { changed: 0, evaluated: 0, unchanged: 0 };
  const replaced = (manifests: Manifest[], admitted: AdmittedManifests, selected: Manifest[]) => {
    const stored = new Map(selected.map((m, i) => [m, admitted.manifests[i]!]));
    return manifests.map((m) => stored.get(m) ?? m);
  };
  const headRender: RenderedEnvironment[] = [];
  const baseRender: RenderedEnvironment[] = baseRendered.map((env) => ({ ...env }));
  for (const env of headRendered) {
    const baseEnv = baseRender.find((b) => b.environment === env.environment);
    const baseManifests = baseEnv?.manifests ?? [];
    const namespaces = { base: collectNamespaces(baseManifests), head: collectNamespaces(env.manifests) };
    const selected = selectChangedManifests(baseManifests, env.manifests, namespaces);
    const options = { environment: env.environment };
    const h = admitManifests(chosen.policies, chosen.celPolicies, selected.head, {
      ...options,
      namespaces: namespaces.head,
    });
    const b = admitManifests(chosen.policies, chosen.celPolicies, selected.base, {
      ...options,
      namespaces: namespaces.base,
    });
    head.byEnvironment.set(env.environment, h);
    base.byEnvironment.set(env.environment, b);
    head.results.push(...h.results);
    base.results.push(...b.results);
    headRender.push({ ...env, manifests: replaced(env.manifests, h, selected.head) });
    if (baseEnv) baseEnv.manifests = replaced(baseManifests, b, selected.base);
    counts.changed += selected.head.length;
    counts.evaluated += selected.head.length + selected.base.length;
    counts.unchanged += selected.unchanged;
  }
  head.findings = policyResultsToFindings(head.results);
  base.findings = policyResultsToFindings(base.results);
  return { head, base, headRender, baseRender, counts };
}

/** Marks mutated objects in the diff and lists what the change's objects would generate. */
function annotateDiffs(diffs: EnvironmentDiff[], head: AdmittedSide): EnvironmentDiff[] {
  return diffs.map((d) => {
    const admitted = head.byEnvironment.get(d.environment);
    if (!admitted) return d;
    const resources = d.resources.map((r) => {
      const mutations = r.change === 'removed' ? undefined : admitted.mutations.get(r.id);
      return mutations ? { ...r, mutatedBy: mutations } : r;
    });
    const touched = new Set(d.resources.filter((r) => r.change !== 'removed').map((r) => r.id));
    const generated = admitted.generated
      .filter((g) => touched.has(g.trigger))
      .map((g) => ({ id: g.id, policy: g.policy, trigger: g.trigger }));
    return { ...d, resources, ...(generated.length ? { generated } : {}) };
  });
}

/** The tree, counting the files read from it. */
function countingReads(tree: SourceTree, count: { files: number }): SourceTree {
  return {
    sha: tree.sha,
    listFiles: () => tree.listFiles(),
    readFile: (path) => {
      count.files++;
      return tree.readFile(path);
    },
    ...(tree.readFiles
      ? {
          readFiles: (paths: readonly string[]) => {
            count.files += paths.length;
            return tree.readFiles!(paths);
          },
        }
      : {}),
  };
}

function analyzeAllRoutes(rendered: RenderedEnvironment[], config: TollgateConfig): Finding[] {
  const options = {
    ...(config.routes.controller ? { controller: config.routes.controller } : {}),
    namespaceLabels: config.routes.namespaceLabels,
  };
  return rendered.flatMap((env) =>
    routeFindingsToFindings(analyzeRoutes(env.manifests, options), env.environment),
  );
}

function touchedEnvironments(diffs: readonly EnvironmentDiff[]): string[] {
  return diffs
    .filter((d) => d.counts.added + d.counts.changed + d.counts.removed > 0)
    .map((d) => d.environment);
}

/** The merge request rules of `.tollgate.yml` `branch:` (and the protected branch). */
function checkBranchRules(
  input: ReviewInput,
  config: TollgateConfig,
  baseRender: RenderedEnvironment[],
  headRender: RenderedEnvironment[],
): Finding[] {
  if (!input.branch) return [];
  const renderedFiles = new Set(
    [...baseRender, ...headRender].flatMap((env) => env.manifests.map((m) => m.file)),
  );
  const { promotion } = config.branch;
  const env = (list: RenderedEnvironment[], name: string) =>
    list.find((e) => e.environment === name)?.manifests ?? [];
  return checkMergeRequestBranch(
    {
      ...input.branch,
      deployableFiles: input.changedFiles.map((f) => f.path).filter((p) => renderedFiles.has(p)),
      ...(promotion
        ? {
            promotion: {
              staging: [...env(baseRender, promotion.staging), ...env(headRender, promotion.staging)],
              productionBase: env(baseRender, promotion.production),
              productionHead: env(headRender, promotion.production),
            },
          }
        : {}),
    },
    {
      protectedBranch: config.protectedBranch,
      promotion: Boolean(promotion),
      ...(config.branch.sourceBranchPattern
        ? { sourceBranchPattern: config.branch.sourceBranchPattern }
        : {}),
      ...(config.branch.maxBehind !== undefined ? { maxBehind: config.branch.maxBehind } : {}),
    },
  );
}

/**
 * Reviews one change. The worker (for a merge request) and `tollgate check` (for two local refs)
 * both call this, so they give the same verdict for the same trees:
 * 1. configuration from BASE (a merge request cannot loosen the rules that judge it);
 * 2. every changed YAML file must parse;
 * 3. every environment is rendered at base and head and diffed, with drift between environments;
 * 4. policies (from base) and the route-conflict analysis run on both renders: what this change
 *    introduces blocks, what is already on the base branch is reported without blocking;
 * 5. branch rules, environment locks and recorded overrides.
 */
export async function reviewChange(input: ReviewInput): Promise<Report> {
  return (await reviewChangeInDetail(input)).report;
}

/** `reviewChange`, with the route objects to keep and the conflicts with other merge requests. */
export async function reviewChangeInDetail(reviewInput: ReviewInput): Promise<ReviewDetail> {
  const now = reviewInput.now ?? (() => performance.now());
  const started = now();
  const reads = { files: 0 };
  const input: ReviewInput = {
    ...reviewInput,
    base: countingReads(reviewInput.base, reads),
    head: countingReads(reviewInput.head, reads),
  };
  const parseCache = input.parseCache ?? createParsedManifestCache(REVIEW_PARSE_CACHE_BYTES);
  const parsedBefore = { ...parseCache.stats };
  const { config, file: configFile, findings: configFindings } = await loadRepositoryConfig(input.base);
  const yamlFiles = await readChangedYaml(input.head, input.changedFiles);
  const rendering = now();
  const [baseRendered, headRendered] = await Promise.all([
    input.render(input.base, config, { parseCache }),
    input.render(input.head, config, { parseCache }),
  ]);
  // Policies from base. Everything after this point sees the objects as the cluster will store
  // them: mutated by the repository's mutating policies, validated after mutation.
  const evaluating = now();
  const chosen = await choosePolicies(input.base, config, input.shippedPolicies ?? []);
  const policy = admitChanges(chosen, baseRendered, headRendered);
  const { baseRender, headRender } = policy;
  const headPolicy = policy.head;
  const basePolicy = policy.base;
  const diffing = now();
  const diffs = annotateDiffs(diffEnvironments(baseRender, headRender), headPolicy);
  const drift =
    headRender.length >= 2
      ? findEnvironmentDrift(headRender, {
          allow: config.drift.allow,
          defaults: config.drift.defaults !== false,
          diffs,
        })
      : undefined;

  const changedRules = await validateChangedRules(input.head, input.changedFiles, config, [
    ...configFindings,
    ...chosen.findings,
  ]);
  const analysing = now();
  const baseLabel = input.target.baseRef ?? 'the base branch';

  // Render problems of files the syntax check already reported would be said twice.
  const yamlFindings = checkYamlFiles(yamlFiles, {
    maxFileBytes: config.limits.maxFileBytes,
    maxAliasCount: 100,
    cache: parseCache,
  });
  const reported = new Set(yamlFindings.map((f) => `${f.location?.file}:${f.location?.line}:${f.rule}`));
  const renderFindings = headRender
    .flatMap((env) => env.findings)
    .filter((f) => !reported.has(`${f.location?.file}:${f.location?.line}:${f.rule}`));

  const routeFindings = splitNewFindings(
    analyzeAllRoutes(headRender, config),
    analyzeAllRoutes(baseRender, config),
    baseLabel,
  );

  const crossChange = findCrossChangeFindings(
    baseRender,
    headRender,
    input.otherChanges ?? [],
    input.changeLabel ?? ((n) => `#${n}`),
  );

  const finishing = now();
  const findings = applyOverrides(
    applyBlockingChecks(
      [
        ...configFindings,
        ...changedRules.findings,
        ...yamlFindings,
        ...renderFindings,
        ...chosen.findings,
        ...splitNewFindings(headPolicy.findings, basePolicy.findings, baseLabel),
        ...routeFindings,
        ...crossChange.findings,
        ...checkBranchRules(input, config, baseRender, headRender),
        ...findLockFindings(input.locks ?? [], touchedEnvironments(diffs)),
        ...(drift ? driftToFindings(drift, diffs, { blocking: config.blocking.includes('drift') }) : []),
      ],
      config.blocking,
    ),
    input.overrides ?? [],
    input.head.sha,
  );
  const report = buildReport(input.target, findings, yamlFiles.length, {
    ...(configFile ? { configFile } : {}),
    ...(changedRules.files.length ? { rulesChanged: changedRules.files } : {}),
    environments: headRender.map((e) => e.environment),
    diff: {
      base: { sha: input.base.sha, ...(input.target.baseRef ? { ref: input.target.baseRef } : {}) },
      head: { sha: input.head.sha, ...(input.target.headRef ? { ref: input.target.headRef } : {}) },
      environments: diffs,
      ...(drift ? { drift } : {}),
    },
    policy: {
      source: chosen.source,
      policies: chosen.policies.length + chosen.celPolicies.length,
      evaluations: headPolicy.results.length,
      passed: headPolicy.results.filter((r) => r.status === 'pass').length,
      failed: headPolicy.results.filter((r) => r.status === 'fail' || r.status === 'error').length,
      unchanged: policy.counts.unchanged,
    },
    checks: [
      'config',
      'yaml',
      'render',
      ...(chosen.policies.length + chosen.celPolicies.length ? ['policy'] : []),
      'routes',
      ...(drift ? ['drift'] : []),
      ...(input.branch ? ['branch'] : []),
      ...(input.locks ? ['lock'] : []),
    ],
  });
  const objectsRendered = [...baseRender, ...headRender].reduce((n, e) => n + e.manifests.length, 0);
  report.stats = {
    filesRead: reads.files,
    filesParsed: parseCache.stats.parsed - parsedBefore.parsed,
    parseCacheHits: parseCache.stats.hits - parsedBefore.hits,
    objectsRendered,
    objectsChanged: policy.counts.changed,
    objectsEvaluated: chosen.policies.length + chosen.celPolicies.length ? policy.counts.evaluated : 0,
    objectsUnchanged: policy.counts.unchanged,
    timeMs: {
      config: Math.round(rendering - started),
      render: Math.round(evaluating - rendering),
      policy: Math.round(diffing - evaluating),
      diff: Math.round(analysing - diffing),
      checks: Math.round(finishing - analysing),
      total: Math.round(now() - started),
    },
  };
  const routeObjects = headRender.map((env) => ({
    environment: env.environment,
    manifests: listChangedRouteObjects(
      baseRender.find((b) => b.environment === env.environment)?.manifests ?? [],
      env.manifests,
    ),
  }));
  return { report, routeObjects, crossChange: crossChange.conflicts };
}
