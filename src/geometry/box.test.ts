import { describe, expect, it } from 'vitest';
import { centreDistance, intersection, iou, pointsInside } from './box';

describe('box geometry', () => {
  it('intersection and IoU', () => {
    const a = { x: 0, y: 0, width: 10, height: 10 };
    const b = { x: 5, y: 0, width: 10, height: 10 };
    expect(intersection(a, b)).toBe(50);
    expect(iou(a, b)).toBeCloseTo(50 / 150, 10);
    expect(iou(a, { x: 20, y: 20, width: 5, height: 5 })).toBe(0);
  });

  it('centre distance in units of the larger side', () => {
    expect(centreDistance({ x: 0, y: 0, width: 10, height: 10 }, { x: 10, y: 0, width: 10, height: 10 })).toBeCloseTo(1, 10);
  });

  it('points inside a frame, with a margin', () => {
    expect(pointsInside([[0, 0], [100, 50]], 100, 50)).toBe(true);
    expect(pointsInside([[50, -0.5]], 100, 50)).toBe(true); // within 2% of the side
    expect(pointsInside([[50, -10]], 100, 50)).toBe(false);
  });
});
