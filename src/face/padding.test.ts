import { describe, expect, it } from 'vitest';
import { applyAffine, invertAffine, padTransform } from './padding';

describe('padTransform', () => {
  it('centres the image in a square canvas `factor` times its longest side', () => {
    const { side, toCanvas } = padTransform(256, 256, { factor: 2 }, 1024);
    expect(side).toBe(512);
    expect(applyAffine(toCanvas, [0, 0])).toEqual([128, 128]);
    expect(applyAffine(toCanvas, [256, 256])).toEqual([384, 384]);
  });

  it('scales the canvas down to maxSide', () => {
    const { side, toCanvas } = padTransform(400, 200, { factor: 1.5 }, 300);
    expect(side).toBe(300);
    const [x0, y0] = applyAffine(toCanvas, [0, 0]);
    const [x1, y1] = applyAffine(toCanvas, [400, 200]);
    expect(x1 - x0).toBeCloseTo(200);
    expect(y1 - y0).toBeCloseTo(100);
    expect((x0 + x1) / 2).toBeCloseTo(150);
    expect((y0 + y1) / 2).toBeCloseTo(150);
  });

  it('mirrors left-right and turns clockwise about the centre', () => {
    const mirrored = padTransform(100, 100, { factor: 1, mirror: true }).toCanvas;
    expect(applyAffine(mirrored, [0, 10])[0]).toBeCloseTo(100);
    expect(applyAffine(mirrored, [0, 10])[1]).toBeCloseTo(10);
    const turned = padTransform(100, 100, { factor: 1, degrees: 90 }).toCanvas;
    // Clockwise on screen (y down): the top edge's middle goes to the right edge's middle.
    const [x, y] = applyAffine(turned, [50, 0]);
    expect(x).toBeCloseTo(100);
    expect(y).toBeCloseTo(50);
  });

  it('inverts back to image pixels', () => {
    const { toCanvas } = padTransform(320, 240, { factor: 1.5, mirror: true, degrees: 20 });
    const back = applyAffine(invertAffine(toCanvas), applyAffine(toCanvas, [37, 201]));
    expect(back[0]).toBeCloseTo(37);
    expect(back[1]).toBeCloseTo(201);
  });

  it('rejects factors below 1', () => {
    expect(() => padTransform(10, 10, { factor: 0.5 })).toThrow();
  });
});
