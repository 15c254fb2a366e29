import { parseArgs } from 'node:util';
import { GitError, openGitTree } from '../../adapters/git/open-git-tree.ts';
import { renderAllEnvironments } from '../../adapters/render/render-environment.ts';
import { resolveEnvironments, type TollgateConfig } from '../../core/config/tollgate-config.ts';
import { diffEnvironments } from '../../core/diff/diff-manifests.ts';
import { findEnvironmentDrift } from '../../core/diff/find-environment-drift.ts';
import { formatDiffMarkdown } from '../../core/diff/format-diff-markdown.ts';
import type { ManifestDiffReport } from '../../core/diff/manifest-diff.ts';
import type { Finding } from '../../core/findings/finding.ts';
import { formatLocation } from '../../core/findings/format-location.ts';
import { discoverEnvironments } from '../../core/render/discover-environments.ts';
import { loadRepositoryConfig } from '../../usecases/load-repository-config.ts';
import { type CliIO, EXIT_PASS, EXIT_USAGE, UsageError } from '../cli-io.ts';
import { createCliRenderRunner } from '../create-cli-render-runner.ts';

const HELP = `usage: tollgate diff [--repo DIR] --base REF --head REF [--env NAME] [--format markdown|json]

Renders every environment of .tollgate.yml (read from BASE; defaults when absent) at both refs and
prints what changes, as Kubernetes objects: per-environment field changes and YAML diffs, and the
differences between environments. Secret values are never printed. Exit 0 (informational), 2 on a
usage or configuration error.
`;

export async function runDiffCommand(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      repo: { type: 'string' },
      base: { type: 'string' },
      head: { type: 'string' },
      env: { type: 'string' },
      format: { type: 'string', default: 'markdown' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(HELP);
    return EXIT_PASS;
  }
  if (!values.base || !values.head) throw new UsageError('--base and --head are required');
  if (values.format !== 'markdown' && values.format !== 'json')
    throw new UsageError(`--format must be markdown or json, not '${values.format}'`);
  const repo = values.repo ?? io.cwd;
  let baseTree: Awaited<ReturnType<typeof openGitTree>>;
  let headTree: typeof baseTree;
  try {
    [baseTree, headTree] = await Promise.all([
      openGitTree(repo, values.base),
      openGitTree(repo, values.head),
    ]);
  } catch (error) {
    if (error instanceof GitError) throw new UsageError(error.message);
    throw error;
  }
  const loaded = await loadRepositoryConfig(baseTree);
  if (loaded.findings.length > 0) {
    for (const f of loaded.findings) io.stderr(`${formatLocation(f.location)}: ${f.message}\n`);
    return EXIT_USAGE;
  }
  let config: TollgateConfig = loaded.config;
  if (values.env) {
    // Declared environments, or the ones discovery finds (kustomize overlays) when none are declared.
    const known =
      config.environments.length > 0
        ? resolveEnvironments(config)
        : [
            ...discoverEnvironments(await headTree.listFiles(), { exclude: config.policies }).environments,
            ...resolveEnvironments(config),
          ];
    const env = known.find((e) => e.name === values.env);
    if (!env)
      throw new UsageError(`no environment '${values.env}' (known: ${known.map((e) => e.name).join(', ')})`);
    config = { ...config, environments: [env] };
  }
  const options = { renderRunner: createCliRenderRunner(io) };
  const [base, head] = await Promise.all([
    renderAllEnvironments(baseTree, config, options),
    renderAllEnvironments(headTree, config, options),
  ]);
  const environments = diffEnvironments(base, head);
  const report: ManifestDiffReport = {
    base: { ref: values.base, sha: baseTree.sha },
    head: { ref: values.head, sha: headTree.sha },
    environments,
    ...(head.length >= 2
      ? {
          drift: findEnvironmentDrift(head, {
            allow: config.drift.allow,
            defaults: config.drift.defaults !== false,
            diffs: environments,
          }),
        }
      : {}),
  };
  const findings: Finding[] = head.flatMap((e) => e.findings);
  if (values.format === 'json') {
    io.stdout(`${JSON.stringify({ ...report, findings }, null, 2)}\n`);
  } else {
    io.stdout(formatDiffMarkdown(report, { budget: Number.MAX_SAFE_INTEGER }));
    if (findings.length) {
      io.stdout(`\n### Rendering problems (head)\n\n`);
      for (const f of findings)
        io.stdout(
          `- ${f.environment ? `[${f.environment}] ` : ''}${formatLocation(f.location)}: ${f.message.split('\n')[0]}\n`,
        );
    }
  }
  return EXIT_PASS;
}
