import { describe, expect, it } from 'vitest';
import { AGE_BINS, MIN_STD, credibleInterval, epsilonError, gaussianTarget, klDivergence, mixture, normalize, summarize } from './distribution';

const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);

describe('gaussianTarget', () => {
  it('has 101 bins summing to 1, centred on the mean with the requested spread', () => {
    const p = gaussianTarget(35, 5);
    expect(p.length).toBe(AGE_BINS);
    expect(sum(p)).toBeCloseTo(1, 6);
    const s = summarize(p);
    expect(s.mode).toBe(35);
    expect(s.mean).toBeCloseTo(35, 4);
    // A Gaussian sampled at integers keeps its std to well under 0.01 years for std 5.
    expect(s.std).toBeCloseTo(5, 2);
  });

  it('floors a zero std instead of producing NaN', () => {
    const p = gaussianTarget(20, 0);
    expect(sum(p)).toBeCloseTo(1, 6);
    expect(summarize(p).std).toBeCloseTo(1, 1);
  });

  it('is truncated and renormalised at the edges of the age range', () => {
    const p = gaussianTarget(0, 3);
    expect(sum(p)).toBeCloseTo(1, 6);
    expect(summarize(p).mean).toBeGreaterThan(1); // half the bell is cut off below 0
  });
});

describe('summarize', () => {
  it('reads mean, std and mode off a hand-made distribution', () => {
    const p = new Float32Array(AGE_BINS);
    p[20] = 0.25;
    p[30] = 0.5;
    p[40] = 0.25;
    expect(summarize(p)).toEqual({ age: 30, estimate: 'mean', median: 30, mean: 30, std: Math.sqrt(50), mode: 30 });
  });

  it('spreads each bin over its year to find the median', () => {
    const p = new Float32Array(AGE_BINS);
    p[20] = 0.4;
    p[21] = 0.2;
    p[50] = 0.4;
    // 0.4 lies below 20.5; the next 0.1 is half of bin 21's 0.2, so the median is at 21.
    expect(summarize(p).median).toBeCloseTo(21, 5);
    expect(summarize(p).mean).toBeCloseTo(32.2, 5);
    expect(summarize(p).age).toBe(summarize(p).mean);
    expect(summarize(p, 'median').age).toBe(summarize(p).median);
  });

  it('puts the median of a skewed distribution nearer the bulk than the mean', () => {
    const child = gaussianTarget(2, 5);
    const s = summarize(child);
    expect(s.median).toBeLessThan(s.mean);
    expect(s.median).toBeGreaterThan(s.mode);
    expect(summarize(gaussianTarget(40, 5)).median).toBeCloseTo(40, 2);
  });

  it('rejects an empty distribution', () => {
    expect(() => summarize(new Float32Array(AGE_BINS))).toThrow(/no probability mass/);
  });
});

describe('normalize', () => {
  it('scales to sum 1 and rejects negative or NaN values', () => {
    expect(Array.from(normalize([1, 3]))).toEqual([0.25, 0.75]);
    expect(() => normalize([1, -1])).toThrow(/invalid value/);
    expect(() => normalize([NaN])).toThrow(/invalid value/);
  });
});

describe('mixture', () => {
  it('mixes with normalised weights', () => {
    const m = mixture([[1, 0], [0, 1]], [3, 1]);
    expect(m[0]).toBeCloseTo(0.75);
    expect(m[1]).toBeCloseTo(0.25);
  });

  it('keeps the mean linear in the weights', () => {
    const a = gaussianTarget(20, 3);
    const b = gaussianTarget(50, 3);
    expect(summarize(mixture([a, b], [0.5, 0.5])).mean).toBeCloseTo(35, 3);
  });

  it('rejects mismatched inputs', () => {
    expect(() => mixture([], [])).toThrow();
    expect(() => mixture([[1]], [1, 2])).toThrow(/one weight/);
    expect(() => mixture([[1], [1, 0]], [1, 1])).toThrow(/length/);
  });
});

describe('klDivergence and epsilonError', () => {
  it('KL is zero for identical distributions and matches a hand-computed value', () => {
    const p = gaussianTarget(30, 4);
    expect(klDivergence(p, p)).toBeCloseTo(0, 6);
    // KL([0.5,0.5] ‖ [0.25,0.75]) = 0.5 ln 2 + 0.5 ln(2/3)
    expect(klDivergence([0.5, 0.5], [0.25, 0.75])).toBeCloseTo(0.5 * Math.log(2) + 0.5 * Math.log(2 / 3), 6);
  });

  it('ε is 0 on target, 1 - e^-0.5 one std away', () => {
    expect(epsilonError(30, 30, 5)).toBe(0);
    expect(epsilonError(35, 30, 5)).toBeCloseTo(1 - Math.exp(-0.5), 10);
    // Official: the std as given; std 0 leaves only an exact prediction at 0.
    expect(epsilonError(30.5, 30, 0.5)).toBeCloseTo(1 - Math.exp(-0.5), 10);
    expect(epsilonError(31, 30, 0)).toBe(1);
    expect(epsilonError(30, 30, 0)).toBe(0);
    // Floored variant: std raised to MIN_STD first.
    expect(epsilonError(31, 30, 0, MIN_STD)).toBeCloseTo(1 - Math.exp(-0.5), 10);
    expect(epsilonError(30.5, 30, 0.5, MIN_STD)).toBeCloseTo(1 - Math.exp(-0.125), 10);
  });
});

describe('credibleInterval', () => {
  it('is about mean ± std for a Gaussian', () => {
    const { low, high } = credibleInterval(gaussianTarget(40, 5), 0.68);
    expect(low).toBeGreaterThanOrEqual(34);
    expect(low).toBeLessThanOrEqual(35);
    expect(high).toBeGreaterThanOrEqual(45);
    expect(high).toBeLessThanOrEqual(46);
  });

  it('follows the mass of a skewed distribution', () => {
    const probs = new Float32Array(101);
    probs[2] = 0.5;
    probs[3] = 0.3;
    probs[20] = 0.2;
    expect(credibleInterval(probs, 0.68)).toEqual({ low: 2, high: 20 });
    expect(credibleInterval(probs, 0.5)).toEqual({ low: 2, high: 3 });
  });
});
