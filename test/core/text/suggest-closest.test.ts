import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance, suggestClosest } from '../../../src/core/text/suggest-closest.ts';

describe('suggestClosest', () => {
  it('finds the word a typo meant', () => {
    expect(suggestClosest('enviroments', ['environments', 'policies', 'blocking'])).toBe('environments');
    expect(suggestClosest('patern', ['pattern', 'anyPattern', 'deny'])).toBe('pattern');
    expect(suggestClosest('--kep', ['--keep', '--help'])).toBe('--keep');
  });

  it('suggests nothing when no candidate is close', () => {
    expect(suggestClosest('zzzzzz', ['check', 'demo'])).toBeUndefined();
    expect(suggestClosest('ab', ['xy'])).toBeUndefined();
    expect(didYouMean('zzzzzz', ['check'])).toBe('');
  });

  it('counts edits', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });
});
