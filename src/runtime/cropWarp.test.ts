import { describe, expect, it } from 'vitest';
import type { Similarity } from '../geometry/points';
import { cropFootprint, rgbOf, warpRegionToCrop, warpToCrop } from './cropWarp';
import { rotScale } from '../test/similarity';

describe('warpToCrop', () => {
  // A 4x4 RGBA image whose red channel encodes x*10 and green y*10.
  const w = 4, h = 4;
  const data = new Uint8ClampedArray(w * h * 4);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    data[(y * w + x) * 4] = x * 10;
    data[(y * w + x) * 4 + 1] = y * 10;
    data[(y * w + x) * 4 + 3] = 255;
  }
  const image = { data, width: w, height: h };

  it('with the identity copies pixels', () => {
    const crop = warpToCrop(image, { a: 1, b: 0, tx: 0, ty: 0 }, 4);
    expect(crop[(2 * 4 + 3) * 3]).toBeCloseTo(30); // x=3
    expect(crop[(2 * 4 + 3) * 3 + 1]).toBeCloseTo(20); // y=2
  });

  it('with a shift of one pixel moves the content', () => {
    const crop = warpToCrop(image, { a: 1, b: 0, tx: -1, ty: 0 }, 2);
    expect(crop[0]).toBeCloseTo(10); // crop (0,0) shows image x=1
  });

  it('with a 2x upscale interpolates between pixels', () => {
    const crop = warpToCrop(image, { a: 2, b: 0, tx: 0, ty: 0 }, 8);
    // crop pixel u=3 has centre 3.5 → image coordinate 1.75 → between x=1 and x=2 (index 1.25) → 12.5
    expect(crop[3 * 3]).toBeCloseTo(12.5, 4);
  });
});

describe('warpRegionToCrop', () => {
  const width = 97, height = 83;
  const image = { width, height, data: Uint8ClampedArray.from({ length: width * height * 4 }, (_, i) => (i * 131 + (i >> 7) * 17) % 256) };
  const reads: { x: number; y: number; width: number; height: number }[] = [];
  const reader = {
    width,
    height,
    read(x: number, y: number, w: number, h: number) {
      reads.push({ x, y, width: w, height: h });
      const data = new Uint8ClampedArray(w * h * 4);
      for (let row = 0; row < h; row++) data.set(image.data.subarray(((y + row) * width + x) * 4, ((y + row) * width + x + w) * 4), row * w * 4);
      return { width: w, height: h, data };
    },
  };

  it('gives the same crop as warping the whole image, reading only the footprint', () => {
    for (const t of [rotScale(0.3, 0.8, -10, -5), rotScale(-0.2, 2.5, -60, -40), rotScale(1.1, 0.5, 30, -20)]) {
      reads.length = 0;
      const whole = warpToCrop(image, t, 24);
      const region = warpRegionToCrop(reader, t, 24);
      expect(region.length).toBe(whole.length);
      for (let i = 0; i < whole.length; i++) expect(region[i]).toBeCloseTo(whole[i], 6);
      expect(reads).toHaveLength(1);
      expect(reads[0]).toEqual(cropFootprint(t, 24, width, height));
    }
  });

  it("uses the reader's own resampling when it has one, for crops inside the image and past its edges", () => {
    const warps: number[] = [];
    // A stand-in for the canvas: resamples with warpToCrop on the whole image, as 8-bit RGBA.
    const warping = {
      ...reader,
      warp(t: Similarity, size: number) {
        warps.push(size);
        const rgb = warpToCrop(image, t, size);
        const data = new Uint8ClampedArray(size * size * 4).fill(255);
        for (let i = 0; i < size * size; i++) data.set([rgb[i * 3], rgb[i * 3 + 1], rgb[i * 3 + 2]], i * 4);
        return { width: size, height: size, data };
      },
    };
    const inside = rotScale(0.1, 2, -40, -30); // crop pixels ↔ image 20..44 × 15..39, well inside 97×83
    const across = rotScale(0.3, 0.8, -10, -5); // reaches past the top-left corner
    reads.length = 0;
    const viaWarp = warpRegionToCrop(warping, inside, 24);
    expect(warps).toEqual([24]);
    expect(reads).toHaveLength(0);
    const exact = warpToCrop(image, inside, 24);
    for (let i = 0; i < exact.length; i++) expect(Math.abs(viaWarp[i] - exact[i])).toBeLessThanOrEqual(0.5);
    warpRegionToCrop(warping, across, 24);
    expect(warps).toEqual([24, 24]);
    expect(reads).toHaveLength(0);
  });

  it('rgbOf drops alpha and keeps the channel order', () => {
    expect(Array.from(rgbOf({ width: 2, height: 1, data: Uint8ClampedArray.of(1, 2, 3, 255, 4, 5, 6, 0) }))).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('keeps the footprint inside the image, and smaller than it for a small face', () => {
    const box = cropFootprint(rotScale(0, 4, -200, -160), 24, width, height);
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(width);
    expect(box.y + box.height).toBeLessThanOrEqual(height);
    expect(box.width * box.height).toBeLessThan(width * height / 4);
  });
});
