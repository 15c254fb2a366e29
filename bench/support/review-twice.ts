/**
 * Two reviews of the same base in one process, as one worker runs consecutive merge requests:
 * main..change, then main..change-2. Prints JSON {firstMs, secondMs} (CPU of the process and its
 * git children). Usage: review-twice.ts REPO
 */
import { listGitChangedFiles, openGitTree } from '../../src/git/open-git-tree.ts';
import { readShippedPolicies } from '../../src/shipped/read-shipped-policies.ts';
import { reviewChange } from '../../src/usecases/review-change.ts';
import { cpuOfProcess } from './cpu-of-process.ts';

const repo = process.argv[2]!;

async function review(head: string): Promise<number> {
  const start = cpuOfProcess();
  const base = await openGitTree(repo, 'main');
  const headTree = await openGitTree(repo, head);
  await reviewChange({
    target: { baseSha: base.sha, headSha: headTree.sha },
    base,
    head: headTree,
    changedFiles: await listGitChangedFiles(repo, base.sha, headTree.sha),
    shippedPolicies: readShippedPolicies(),
  });
  return cpuOfProcess() - start;
}

const firstMs = await review('change');
const secondMs = await review('change-2');
process.stdout.write(`${JSON.stringify({ firstMs, secondMs })}\n`);
