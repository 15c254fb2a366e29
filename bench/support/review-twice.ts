/**
 * Two reviews of the same base in one process, as one worker runs consecutive merge requests:
 * main..change, then main..change-2. Prints JSON {firstMs, secondMs} (CPU of the process and its
 * git children). Usage: review-twice.ts REPO
 */

import { readShippedPolicies } from '../../src/adapters/fs/read-shipped-policies.ts';
import { listGitChangedFiles, openGitTree } from '../../src/adapters/git/open-git-tree.ts';
import { createEnvironmentRenderer } from '../../src/adapters/render/render-environment.ts';
import { createParsedManifestCache } from '../../src/core/manifests/parsed-manifest-cache.ts';
import { reviewChange } from '../../src/usecases/review-change.ts';
import { cpuOfProcess } from './cpu-of-process.ts';

const repo = process.argv[2]!;
// What a worker keeps across reviews.
const parseCache = createParsedManifestCache(256 * 1024 * 1024);

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
    render: createEnvironmentRenderer(),
    parseCache,
  });
  return cpuOfProcess() - start;
}

const firstMs = await review('change');
const secondMs = await review('change-2');
process.stdout.write(`${JSON.stringify({ firstMs, secondMs })}\n`);
