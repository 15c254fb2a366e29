/**
 * The longest time the event loop of the process that runs a review is blocked while the review of
 * main..change runs. Prints JSON {maxBlockMs, reviewMs}. Usage: measure-loop-block.ts REPO
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { readShippedPolicies } from '../../src/adapters/fs/read-shipped-policies.ts';
import { listGitChangedFiles, openGitTree } from '../../src/adapters/git/open-git-tree.ts';
import { createEnvironmentRenderer } from '../../src/adapters/render/render-environment.ts';
import { reviewChange } from '../../src/usecases/review-change.ts';

const repo = process.argv[2]!;
const base = await openGitTree(repo, 'main');
const head = await openGitTree(repo, 'change');
const changedFiles = await listGitChangedFiles(repo, base.sha, head.sha);
const histogram = monitorEventLoopDelay({ resolution: 10 });
histogram.enable();
const start = performance.now();
await reviewChange({
  target: { baseSha: base.sha, headSha: head.sha },
  base,
  head,
  changedFiles,
  shippedPolicies: readShippedPolicies(),
  render: createEnvironmentRenderer(),
});
const reviewMs = performance.now() - start;
histogram.disable();
process.stdout.write(`${JSON.stringify({ maxBlockMs: histogram.max / 1e6, reviewMs })}\n`);
