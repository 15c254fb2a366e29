import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  countGitCommitsBehind,
  findMergeBase,
  GitError,
  isShallowGitRepository,
  listGitChangedFiles,
  openGitTree,
  resolveGitBranchName,
  resolveGitRef,
} from '../../adapters/git/open-git-tree.ts';
import { createGitBlobReader, type GitBlobReader } from '../../adapters/git/read-git-blobs.ts';
import { isReportFormat, REPORT_FORMATS, type ReportFormat } from '../../core/report/report-format.ts';
import { type CliIO, EXIT_BLOCKING, EXIT_PASS, UsageError } from '../cli-io.ts';

const HELP = `usage: tollgate check [--repo DIR] --base REF [--head REF] [--format FMT [--output FILE]]...

Reviews the change from BASE to HEAD of a local git repository with the same code the bot runs,
prints the report, and exits 1 when something blocks the merge (0 when it passes, 2 on usage errors).

  --repo DIR      the git repository (default: the current directory)
  --base REF      the branch the change merges into, e.g. origin/main (compared from the merge base)
  --head REF      the change (default: HEAD)
  --format FMT    markdown (default), json, sarif (GitHub code scanning), junit, codequality
                  (GitLab Code Quality) or text; repeat it, each with its --output, for several
  --output FILE   write the report to FILE instead of standard output (the text summary is
                  still printed)

Exit codes: 0 nothing blocks, 1 blocking findings, 2 usage or configuration error.
`;

/** A ref that names nothing is a typo or a branch never fetched; only a shallow clone needs --unshallow. */
async function requireRef(repo: string, flag: string, ref: string): Promise<void> {
  try {
    await resolveGitRef(repo, ref);
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    const remote = /^origin\/(.+)$/.exec(ref)?.[1];
    const shallow = await isShallowGitRepository(repo).catch(() => false);
    const fix = remote
      ? `fetch it: \`git fetch${shallow ? ' --unshallow' : ''} origin ${remote}\``
      : '`git branch -a` lists the branches';
    throw new UsageError(`${flag} ${ref}: no branch, tag or commit of that name in ${repo}; ${fix}`);
  }
}

export async function runCheckCommand(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      repo: { type: 'string' },
      base: { type: 'string' },
      head: { type: 'string', default: 'HEAD' },
      format: { type: 'string', multiple: true },
      output: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    io.stdout(HELP);
    return EXIT_PASS;
  }
  if (!values.base) throw new UsageError('--base REF is required (the branch the change merges into)');
  const formats = values.format ?? ['markdown'];
  for (const format of formats) {
    if (!isReportFormat(format))
      throw new UsageError(`--format must be one of ${REPORT_FORMATS.join(', ')}, not '${format}'`);
  }
  const repo = resolve(io.cwd, values.repo ?? '.');

  // One `git cat-file --batch` reads the blobs of both trees, each once.
  const blobs = createGitBlobReader(repo);
  try {
    return await checkRefs(repo, { ...values, base: values.base }, formats.filter(isReportFormat), blobs, io);
  } finally {
    blobs.close();
  }
}

async function checkRefs(
  repo: string,
  values: { base: string; head: string; output?: string[] | undefined },
  formats: ReportFormat[],
  blobs: GitBlobReader,
  io: CliIO,
): Promise<number> {
  await requireRef(repo, '--base', values.base);
  await requireRef(repo, '--head', values.head);
  const head = await openGitTree(repo, values.head, blobs);
  let mergeBase: string;
  try {
    mergeBase = await findMergeBase(repo, values.base, head.sha);
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    // Both refs exist but share no history here: in CI, usually a shallow clone.
    throw new UsageError(
      (await isShallowGitRepository(repo))
        ? `${values.base} and ${values.head} have no common commit in this shallow clone: fetch their history (\`git fetch --unshallow origin ${values.base.replace(/^origin\//, '')}\`, or check out with fetch-depth: 0)`
        : `${values.base} and ${values.head} have no common commit: --base must be the branch the change was made from`,
    );
  }
  const base = await openGitTree(repo, mergeBase, blobs);
  const [changedFiles, behindBy, sourceBranch] = await Promise.all([
    listGitChangedFiles(repo, base.sha, head.sha),
    countGitCommitsBehind(repo, values.base, head.sha),
    resolveGitBranchName(repo, values.head),
  ]);
  // Loaded when a review runs, not for --help or a usage error (policies, CEL, JMESPath, formatters).
  const [
    { readShippedPolicies },
    { createEnvironmentRenderer },
    { reviewChange },
    { createCliRenderRunner },
    { writeReports },
  ] = await Promise.all([
    import('../../adapters/fs/read-shipped-policies.ts'),
    import('../../adapters/render/render-environment.ts'),
    import('../../usecases/review-change.ts'),
    import('../create-cli-render-runner.ts'),
    import('./write-reports.ts'),
  ]);
  const report = await reviewChange({
    target: { baseSha: base.sha, headSha: head.sha, baseRef: values.base, headRef: values.head },
    head,
    base,
    changedFiles,
    render: createEnvironmentRenderer(createCliRenderRunner(io)),
    // The same branch rules as in a merge request: --base names the target, --head the source.
    branch: {
      sourceBranch,
      targetBranch: values.base.replace(/^(refs\/heads\/|refs\/remotes\/)?(origin\/)?/, ''),
      behindBy,
    },
    shippedPolicies: readShippedPolicies(),
  });
  await writeReports(report, formats, values.output ?? [], io, {
    ...(report.checks ? { checks: report.checks } : {}),
  });
  return report.verdict === 'pass' ? EXIT_PASS : EXIT_BLOCKING;
}
