import { describe, expect, it } from 'vitest';
import { DEFAULT_CROP, type FivePoints, type Point, type Similarity } from './points';
import { alignmentTransform, applySimilarity, fitSimilarity, invertSimilarity } from './similarity';
import { rotScale } from '../test/similarity';

const template = DEFAULT_CROP.points;

describe('fitSimilarity', () => {
  it('recovers a known rotation, scale and shift exactly', () => {
    const truth = rotScale(0.3, 1.7, 12, -5);
    const src: Point[] = [[0, 0], [10, 2], [4, 9], [-3, 5], [7, -6]];
    const fit = fitSimilarity(src, src.map((p) => applySimilarity(truth, p)));
    expect(fit.a).toBeCloseTo(truth.a, 10);
    expect(fit.b).toBeCloseTo(truth.b, 10);
    expect(fit.tx).toBeCloseTo(truth.tx, 10);
    expect(fit.ty).toBeCloseTo(truth.ty, 10);
  });

  it('is the least-squares answer under noise (residual smaller than for the true transform)', () => {
    const truth = rotScale(-0.2, 0.8, 3, 4);
    const src: Point[] = [[0, 0], [10, 0], [5, 6], [1, 10], [9, 10]];
    const noise = [[0.3, -0.2], [-0.1, 0.4], [0.2, 0.2], [-0.4, 0], [0.1, -0.3]];
    const dst = src.map((p, i) => {
      const q = applySimilarity(truth, p);
      return [q[0] + noise[i][0], q[1] + noise[i][1]] as const;
    });
    const residual = (t: Similarity) =>
      src.reduce((s, p, i) => s + (applySimilarity(t, p)[0] - dst[i][0]) ** 2 + (applySimilarity(t, p)[1] - dst[i][1]) ** 2, 0);
    expect(residual(fitSimilarity(src, dst))).toBeLessThan(residual(truth));
  });

  it('rejects degenerate input', () => {
    expect(() => fitSimilarity([[1, 1], [1, 1]], [[0, 0], [1, 1]])).toThrow(/coincide/);
    expect(() => fitSimilarity([[1, 1]], [[0, 0]])).toThrow();
  });

  it('inverts', () => {
    const t = rotScale(1.1, 2.5, -7, 9);
    const p = applySimilarity(invertSimilarity(t), applySimilarity(t, [3, 4]));
    expect(p[0]).toBeCloseTo(3, 10);
    expect(p[1]).toBeCloseTo(4, 10);
  });
});

describe('alignmentTransform', () => {
  it('maps the five points of a rotated, scaled face onto the template positions', () => {
    const size = 224;
    const faceToImage = rotScale(0.4, 3, 500, 200);
    const face = template.map((p) => applySimilarity(faceToImage, [p[0] * 100, p[1] * 100])) as unknown as FivePoints;
    const t = alignmentTransform(face, DEFAULT_CROP, size);
    face.forEach((p, i) => {
      const q = applySimilarity(t, p);
      expect(q[0]).toBeCloseTo(template[i][0] * size, 6);
      expect(q[1]).toBeCloseTo(template[i][1] * size, 6);
    });
  });
});
