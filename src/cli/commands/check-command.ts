import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { renderComment } from '../../core/report/render-comment.ts';
import { findMergeBase, listGitChangedFiles, openGitTree } from '../../git/open-git-tree.ts';
import { readShippedPolicies } from '../../shipped/read-shipped-policies.ts';
import { reviewChange } from '../../usecases/review-change.ts';
import { type CliIO, EXIT_BLOCKING, EXIT_PASS, UsageError } from '../cli-io.ts';

const HELP = `usage: tollgate check [--repo DIR] --base REF [--head REF] [--format markdown|json]

Reviews the change from BASE to HEAD of a local git repository with the same code the bot runs,
prints the report, and exits 1 when something blocks the merge (0 when it passes, 2 on usage errors).

  --repo DIR      the git repository (default: the current directory)
  --base REF      the branch the change merges into, e.g. origin/main (compared from the merge base)
  --head REF      the change (default: HEAD)
  --format FMT    markdown (default) or json
`;

const FORMATS = ['markdown', 'json'] as const;

export async function runCheckCommand(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      repo: { type: 'string' },
      base: { type: 'string' },
      head: { type: 'string', default: 'HEAD' },
      format: { type: 'string', default: 'markdown' },
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
  const format = values.format as (typeof FORMATS)[number];
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
  const repo = resolve(io.cwd, values.repo ?? '.');

  const head = await openGitTree(repo, values.head);
  const mergeBase = await findMergeBase(repo, values.base, head.sha);
  const base = await openGitTree(repo, mergeBase);
  const changedFiles = await listGitChangedFiles(repo, base.sha, head.sha);
  const report = await reviewChange({
    target: { baseSha: base.sha, headSha: head.sha, baseRef: values.base, headRef: values.head },
    head,
    base,
    changedFiles,
    shippedPolicies: readShippedPolicies(),
    processEnv: { PATH: io.env.PATH, LANG: io.env.LANG },
  });
  io.stdout(format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : `${renderComment(report)}\n`);
  return report.verdict === 'pass' ? EXIT_PASS : EXIT_BLOCKING;
}
