import { describe, expect, it } from 'vitest';
import { gaussianTarget, summarize } from '../age/distribution';
import type { FaceResult } from '../worker/protocol';
import { ageChartDatasets, chartFontSize, legendChars, MAIN_COLOUR, MEMBER_COLOURS, shortenLabel, yAxisMax } from './chartStyle';

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

describe('legend text', () => {
  const name = 'HSE FaceRes (deep), DADL head + last 2 blocks (weight 0.77)';

  it('keeps a label that fits and shortens one that does not, keeping the weight', () => {
    expect(shortenLabel('Ensemble', 30)).toBe('Ensemble');
    const short = shortenLabel(name, 40);
    expect(short.length).toBeLessThanOrEqual(40);
    expect(short).toBe('HSE FaceRes (deep), DADL… (weight 0.77)');
    expect(shortenLabel('a very long name without any suffix', 10)).toBe('a very lo…');
  });

  it('allows more characters on a wider chart; a phone-wide chart shortens the longest member name', () => {
    expect(legendChars(1200, chartFontSize(1200))).toBeGreaterThan(name.length);
    const phone = legendChars(330, chartFontSize(330));
    expect(phone).toBeLessThan(name.length);
    expect(phone).toBeGreaterThanOrEqual(12);
  });
});
