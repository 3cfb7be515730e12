import { describe, expect, it } from 'vitest';
import { fivePointsFromMesh } from './align';

describe('fivePointsFromMesh', () => {
  it('averages the eye contour points and scales to pixels', () => {
    const mesh = Array.from({ length: 468 }, () => ({ x: 0, y: 0 }));
    for (const i of [33, 133, 159, 145]) mesh[i] = { x: 0.3, y: 0.4 };
    mesh[33] = { x: 0.28, y: 0.4 };
    mesh[133] = { x: 0.32, y: 0.4 };
    for (const i of [263, 362, 386, 374]) mesh[i] = { x: 0.7, y: 0.4 };
    mesh[1] = { x: 0.5, y: 0.6 };
    mesh[61] = { x: 0.35, y: 0.8 };
    mesh[291] = { x: 0.65, y: 0.8 };
    const pts = fivePointsFromMesh(mesh, 200, 100);
    expect(pts[0][0]).toBeCloseTo(60, 6);
    expect(pts[0][1]).toBeCloseTo(40, 6);
    expect(pts[1]).toEqual([140, 40]);
    expect(pts[2]).toEqual([100, 60]);
    expect(pts[3]).toEqual([70, 80]);
    expect(pts[4]).toEqual([130, 80]);
  });
});
