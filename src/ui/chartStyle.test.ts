import { describe, expect, it } from 'vitest';
import { gaussianTarget, summarize } from '../age/distribution';
import type { FaceResult } from '../worker/protocol';
import { ageChartDatasets, MAIN_COLOUR, MEMBER_COLOURS, yAxisMax } from './chartStyle';

const distribution = gaussianTarget(30, 5);
const member = (id: string, weight: number, mean: number) => {
  const d = gaussianTarget(mean, 8);
  return { id, name: `Model ${id}`, weight, distribution: d, summary: summarize(d) };
};
const face: FaceResult = {
  box: { x: 0, y: 0, width: 1, height: 1 },
  points5: [[0, 0], [0, 0], [0, 0], [0, 0], [0, 0]],
  distribution,
  summary: summarize(distribution),
  members: [member('a', 0.77, 28), member('b', 0.23, 35)],
};

describe('ageChartDatasets', () => {
  it('plots the ensemble in red and each member with its weight, in percent per age', () => {
    const datasets = ageChartDatasets(face);
    expect(datasets.map((d) => d.label)).toEqual(['Ensemble', 'Model a (weight 0.77)', 'Model b (weight 0.23)']);
    expect(datasets.map((d) => d.borderColor)).toEqual([MAIN_COLOUR, MEMBER_COLOURS[0], MEMBER_COLOURS[1]]);
    expect(datasets[0].data).toHaveLength(101);
    expect(datasets[0].data[30]).toEqual({ x: 30, y: distribution[30] * 100 });
  });

  it('leaves 30% headroom above the highest curve', () => {
    const datasets = ageChartDatasets(face);
    const peak = distribution[30] * 100;
    expect(yAxisMax(datasets)).toBe(Math.ceil(peak * 1.3));
  });
});
