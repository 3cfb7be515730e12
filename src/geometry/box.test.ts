import { describe, expect, it } from 'vitest';
import { boxInRegion, centreDistance, intersection, iou, pointsInside } from './box';

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

  it('boxInRegion maps a box seen on a scaled copy of a region back into the frame', () => {
    // A 960x640 region at (100, 50), seen as a 320x213 copy (scale 1/3 across, 640/213 down).
    const region = { x: 100, y: 50, width: 960, height: 640 };
    const mapped = boxInRegion({ x: 32, y: 21.3, width: 16, height: 21.3 }, { width: 320, height: 213 }, region);
    expect(mapped.x).toBeCloseTo(100 + 96, 6);
    expect(mapped.width).toBeCloseTo(48, 6);
    expect(mapped.y).toBeCloseTo(50 + 21.3 * (640 / 213), 6);
    expect(mapped.height).toBeCloseTo(21.3 * (640 / 213), 6);
    // The whole copy maps onto the whole region.
    expect(boxInRegion({ x: 0, y: 0, width: 320, height: 213 }, { width: 320, height: 213 }, region)).toEqual(region);
  });
});
