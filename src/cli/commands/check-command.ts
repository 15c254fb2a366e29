import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isReportFormat, REPORT_FORMATS, type ReportFormat } from '../../core/report/render-report.ts';
import {
  countGitCommitsBehind,
  findMergeBase,
  GitError,
  listGitChangedFiles,
  openGitTree,
  resolveGitBranchName,
} from '../../git/open-git-tree.ts';
import { createGitBlobReader, type GitBlobReader } from '../../git/read-git-blobs.ts';
import { readShippedPolicies } from '../../shipped/read-shipped-policies.ts';
import { reviewChange } from '../../usecases/review-change.ts';
import { type CliIO, EXIT_BLOCKING, EXIT_PASS, UsageError } from '../cli-io.ts';
import { writeReports } from './write-reports.ts';

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
    if (!isReportFormat(format)) throw new UsageError(`--format must be one of ${REPORT_FORMATS.join(', ')}`);
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
  let head: Awaited<ReturnType<typeof openGitTree>>;
  let mergeBase: string;
  try {
    head = await openGitTree(repo, values.head, blobs);
    mergeBase = await findMergeBase(repo, values.base, head.sha);
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    // The usual cause in CI: a shallow clone without the target branch's history.
    throw new UsageError(
      `${error.message}\n(is the clone shallow? fetch the history of both refs, e.g. \`git fetch --unshallow origin ${values.base.replace(/^origin\//, '')}\`, or check out with fetch-depth: 0)`,
    );
  }
  const base = await openGitTree(repo, mergeBase, blobs);
  const [changedFiles, behindBy, sourceBranch] = await Promise.all([
    listGitChangedFiles(repo, base.sha, head.sha),
    countGitCommitsBehind(repo, values.base, head.sha),
    resolveGitBranchName(repo, values.head),
  ]);
  const report = await reviewChange({
    target: { baseSha: base.sha, headSha: head.sha, baseRef: values.base, headRef: values.head },
    head,
    base,
    changedFiles,
    // The same branch rules as in a merge request: --base names the target, --head the source.
    branch: {
      sourceBranch,
      targetBranch: values.base.replace(/^(refs\/heads\/|refs\/remotes\/)?(origin\/)?/, ''),
      behindBy,
    },
    shippedPolicies: readShippedPolicies(),
    processEnv: { PATH: io.env.PATH, LANG: io.env.LANG },
  });
  await writeReports(report, formats, values.output ?? [], io, {
    ...(report.checks ? { checks: report.checks } : {}),
  });
  return report.verdict === 'pass' ? EXIT_PASS : EXIT_BLOCKING;
}
