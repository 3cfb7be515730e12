import { describe, expect, it } from 'vitest';
import { rawFrameToRgba, type RawFrame } from './rawFrame';

/** A 4x2 I420 frame: Y ramps, U/V constant; planes packed without padding. */
function i420(y: number[], u: number, v: number, fullRange: boolean, matrix: 'bt601' | 'bt709' = 'bt601'): RawFrame {
  const data = new Uint8Array([...y, u, u, v, v]);
  return { data: data.buffer, format: 'I420', width: 4, height: 2, layout: [{ offset: 0, stride: 4 }, { offset: 8, stride: 2 }, { offset: 10, stride: 2 }], matrix, fullRange };
}

describe('rawFrameToRgba', () => {
  it('turns neutral chroma into grey, expanding limited range', () => {
    const out = rawFrameToRgba(i420([16, 235, 126, 126, 16, 235, 126, 126], 128, 128, false));
    expect(Array.from(out.data.slice(0, 8))).toEqual([0, 0, 0, 255, 255, 255, 255, 255]);
    const full = rawFrameToRgba(i420([0, 255, 0, 255, 0, 255, 0, 255], 128, 128, true));
    expect(Array.from(full.data.slice(0, 8))).toEqual([0, 0, 0, 255, 255, 255, 255, 255]);
  });

  it('decodes saturated red with the BT.601 matrix', () => {
    // Full-range BT.601 red: Y 76, Cb 85, Cr 255.
    const out = rawFrameToRgba(i420(Array(8).fill(76), 85, 255, true));
    const [r, g, b] = out.data;
    expect(r).toBeGreaterThan(250);
    expect(g).toBeLessThan(5);
    expect(b).toBeLessThan(5);
  });

  it('reads NV12 (interleaved chroma) like I420', () => {
    const y = [10, 60, 110, 160, 200, 220, 240, 250];
    const nv12: RawFrame = { ...i420(y, 100, 150, true), format: 'NV12', data: new Uint8Array([...y, 100, 150, 100, 150]).buffer, layout: [{ offset: 0, stride: 4 }, { offset: 8, stride: 4 }] };
    expect(rawFrameToRgba(nv12).data).toEqual(rawFrameToRgba(i420(y, 100, 150, true)).data);
  });

  it('scales down by sampling, and swaps BGRA to RGBA', () => {
    const px = (b: number, g: number, r: number) => [b, g, r, 255];
    const data = new Uint8Array([...px(1, 2, 3), ...px(4, 5, 6), ...px(7, 8, 9), ...px(10, 11, 12)]);
    const raw: RawFrame = { data: data.buffer, format: 'BGRA', width: 2, height: 2, layout: [{ offset: 0, stride: 8 }], matrix: 'bt601', fullRange: true };
    const half = rawFrameToRgba(raw, 0.5);
    expect([half.width, half.height]).toEqual([1, 1]);
    expect(Array.from(half.data)).toEqual([12, 11, 10, 255]);
    expect(Array.from(rawFrameToRgba(raw).data.slice(0, 4))).toEqual([3, 2, 1, 255]);
  });
});
