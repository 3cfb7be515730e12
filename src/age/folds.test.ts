import { describe, expect, it } from 'vitest';
import { stratifiedFolds } from './folds';

describe('stratifiedFolds', () => {
  it('deals faces sorted by label to the folds in turn', () => {
    const labels = [80, 10, 75, 20, 70, 30];
    const folds = stratifiedFolds(labels, 3);
    expect(folds).toEqual([2, 0, 1, 1, 0, 2]);
  });
});
