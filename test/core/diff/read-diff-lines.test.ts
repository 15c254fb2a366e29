import { describe, expect, it } from 'vitest';
import { readDiffLines } from '../../../src/core/diff/read-diff-lines.ts';

describe('readDiffLines', () => {
  it('numbers added and context lines of every hunk, and ignores trailing text', () => {
    const diff = [
      '@@ -3,3 +3,4 @@ metadata:',
      '   name: coffee',
      '-  replicas: 2',
      '+  replicas: 3',
      '+  minReadySeconds: 5',
      ' spec:',
      '\\ No newline at end of file',
      '@@ -20 +21 @@',
      '-old',
      '+new',
      '',
    ].join('\n');
    const lines = readDiffLines(diff);
    expect([...lines.added]).toEqual([4, 5, 21]);
    expect([...lines.context]).toEqual([
      [3, 3],
      [6, 5],
    ]);
  });

  it('reads a new file as all added lines', () => {
    expect([...readDiffLines('@@ -0,0 +1,2 @@\n+a: 1\n+b: 2\n').added]).toEqual([1, 2]);
  });
});
