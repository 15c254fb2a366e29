import type { Finding } from '../../core/findings/finding.ts';
import { buildRenderFinding } from '../../core/render/build-render-finding.ts';
import { normalizeRepoPath } from '../../core/render/file-map.ts';
import type { SourceTree } from '../../usecases/ports/source-tree.ts';

/** Files asked for at once from a tree that reads in batches. */
const READ_AHEAD = 256;

export interface TreeLoadLimits {
  maxFileBytes: number;
  maxTreeBytes: number;
  maxTreeFiles: number;
}

/**
 * Reads the files of a tree that `include` accepts into memory, within limits: a file over
 * `maxFileBytes` is left out with a finding, and loading stops with a finding at `maxTreeFiles`
 * files or `maxTreeBytes` bytes.
 */
export async function loadTreeFiles(
  tree: SourceTree,
  include: (path: string) => boolean,
  limits: TreeLoadLimits,
): Promise<{ files: Map<string, Uint8Array>; findings: Finding[] }> {
  const files = new Map<string, Uint8Array>();
  const findings: Finding[] = [];
  let total = 0;
  const paths = (await tree.listFiles()).filter((p) => normalizeRepoPath(p) === p && include(p)).sort();
  // Read ahead in batches where the tree can pipeline reads; the limits below still apply per file.
  let batch: (Uint8Array | undefined)[] = [];
  let batchStart = 0;
  const read = async (index: number) => {
    if (!tree.readFiles) return tree.readFile(paths[index]!);
    if (index >= batchStart + batch.length) {
      batchStart = index;
      batch = await tree.readFiles(paths.slice(index, index + READ_AHEAD));
    }
    return batch[index - batchStart];
  };
  for (const [index, path] of paths.entries()) {
    if (files.size >= limits.maxTreeFiles) {
      findings.push(
        buildRenderFinding(
          'tree-too-large',
          'Too many files to render',
          `The tree has more than ${limits.maxTreeFiles} files to render; the rest were not read.`,
          { file: path },
        ),
      );
      break;
    }
    const bytes = await read(index);
    if (!bytes) continue;
    if (bytes.length > limits.maxFileBytes) {
      findings.push(
        buildRenderFinding(
          'file-too-large',
          `${path} is too large to render`,
          `${path} is ${bytes.length} bytes; the limit is ${limits.maxFileBytes} bytes. It was left out.`,
          { file: path },
        ),
      );
      continue;
    }
    if (total + bytes.length > limits.maxTreeBytes) {
      findings.push(
        buildRenderFinding(
          'tree-too-large',
          'Too much data to render',
          `The files to render exceed ${limits.maxTreeBytes} bytes; ${path} and the files after it were not read.`,
          { file: path },
        ),
      );
      break;
    }
    total += bytes.length;
    files.set(path, bytes);
  }
  return { files, findings };
}
