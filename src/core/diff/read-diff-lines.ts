/** Where a line of the new file sits in a unified diff. */
export interface DiffLines {
  /** New-file line numbers of added lines. */
  added: Set<number>;
  /** Unchanged lines shown in the diff: new-file line → old-file line. */
  context: Map<number, number>;
}

/**
 * Reads the hunks of one file's unified diff (as GitLab's MR diffs API returns it, without file
 * headers) into the new-file lines a diff discussion may be placed on. Each hunk is read for as
 * many lines as its header counts, so trailing text never shifts the numbers.
 */
export function readDiffLines(diff: string): DiffLines {
  const added = new Set<number>();
  const context = new Map<number, number>();
  let oldLine = 0;
  let newLine = 0;
  let oldLeft = 0;
  let newLeft = 0;
  for (const raw of diff.split('\n')) {
    const header = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(raw);
    if (header) {
      oldLine = Number(header[1]);
      oldLeft = header[2] === undefined ? 1 : Number(header[2]);
      newLine = Number(header[3]);
      newLeft = header[4] === undefined ? 1 : Number(header[4]);
      continue;
    }
    if (oldLeft <= 0 && newLeft <= 0) continue;
    if (raw.startsWith('\\')) continue; // "\ No newline at end of file"
    if (raw.startsWith('+')) {
      added.add(newLine++);
      newLeft--;
    } else if (raw.startsWith('-')) {
      oldLine++;
      oldLeft--;
    } else {
      context.set(newLine++, oldLine++);
      newLeft--;
      oldLeft--;
    }
  }
  return { added, context };
}
