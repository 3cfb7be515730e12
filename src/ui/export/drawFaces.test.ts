import { describe, expect, it } from 'vitest';
import { gaussianTarget, summarize } from '../../age/distribution';
import type { FaceResult } from '../../worker/protocol';
import { drawFaces, OVERLAY_COLOURS, overlaySizes, type Canvas2D } from './drawFaces';

function face(x: number, y: number, w: number, h: number, mean: number): FaceResult {
  const distribution = gaussianTarget(mean, 5);
  return { box: { x, y, width: w, height: h }, points5: [[0, 0], [0, 0], [0, 0], [0, 0], [0, 0]], distribution, summary: summarize(distribution), members: [] };
}

type Call = { op: string; args: unknown[]; strokeStyle?: unknown; fillStyle?: unknown; lineWidth?: number; font?: string };

/** Records what is drawn; text is 0.5 em per character wide. */
function recorder(): { ctx: Canvas2D; calls: Call[] } {
  const calls: Call[] = [];
  const state = { strokeStyle: '' as unknown, fillStyle: '' as unknown, lineWidth: 1, font: '10px sans-serif', textBaseline: '', textAlign: '' };
  const record = (op: string) => (...args: unknown[]) => {
    calls.push({ op, args, strokeStyle: state.strokeStyle, fillStyle: state.fillStyle, lineWidth: state.lineWidth, font: state.font });
  };
  const ctx = {
    ...Object.fromEntries(['save', 'restore', 'strokeRect', 'beginPath', 'roundRect', 'fill', 'fillText'].map((op) => [op, record(op)])),
    measureText: (text: string) => ({ width: text.length * 0.5 * Number(/(\d+)px/.exec(state.font)![1]) }),
  };
  return { ctx: new Proxy(ctx, { get: (t, k) => (k in state ? state[k as keyof typeof state] : t[k as keyof typeof t]), set: (_, k, v) => ((state as Record<string | symbol, unknown>)[k] = v, true) }) as unknown as Canvas2D, calls };
}

describe('drawFaces', () => {
  const faces = [face(100, 200, 80, 100, 34.4), face(500, 10, 90, 110, 61.6)];

  it('draws each box where FaceOverlay puts it, with its "≈ age (±std)" label above', () => {
    const { ctx, calls } = recorder();
    drawFaces(ctx, faces, { width: 640, height: 480 });
    const { stroke, fontSize } = overlaySizes(640, 480);
    const boxes = calls.filter((c) => c.op === 'strokeRect');
    expect(boxes.map((c) => c.args)).toEqual([
      [100, 200, 80, 100],
      [500, 10, 90, 110],
    ]);
    expect(boxes.every((c) => c.strokeStyle === OVERLAY_COLOURS.box && c.lineWidth === stroke)).toBe(true);
    const texts = calls.filter((c) => c.op === 'fillText');
    expect(texts.map((c) => c.args[0])).toEqual(['≈ 34 (±5)', '≈ 62 (±5)']);
    expect(texts[0].font).toBe(`700 ${fontSize}px system-ui, sans-serif`);
    // Above the box, or at the top edge when the box touches it.
    expect(texts[0].args[2]).toBeCloseTo(200 - fontSize * 1.5 + fontSize * 1.05);
    expect(texts[1].args[2]).toBeCloseTo(fontSize * 1.05);
    expect(calls[0].op).toBe('save');
    expect(calls.at(-1)!.op).toBe('restore');
  });

  it('mirrors boxes, keeps labels inside the image, numbers them and marks the selected face on top', () => {
    const { ctx, calls } = recorder();
    drawFaces(ctx, faces, { width: 640, height: 480, mirrored: true, selected: 0, numbered: true, colours: { selectedBox: 'lime' } });
    const boxes = calls.filter((c) => c.op === 'strokeRect');
    // The selected face is drawn last.
    expect(boxes.map((c) => c.args)).toEqual([
      [640 - 500 - 90, 10, 90, 110],
      [640 - 100 - 80, 200, 80, 100],
    ]);
    expect(boxes[1].strokeStyle).toBe('lime');
    expect(boxes[1].lineWidth).toBe(2 * overlaySizes(640, 480).stroke);
    expect(calls.filter((c) => c.op === 'fillText').map((c) => c.args[0])).toEqual(['2: ≈ 62 (±5)', '1: ≈ 34 (±5)']);
    for (const c of calls.filter((c) => c.op === 'roundRect')) {
      const [x, , w] = c.args as number[];
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x + w).toBeLessThanOrEqual(640);
    }
  });

  it('draws nothing but save/restore without faces', () => {
    const { ctx, calls } = recorder();
    drawFaces(ctx, [], { width: 10, height: 10 });
    expect(calls.map((c) => c.op)).toEqual(['save', 'restore']);
  });
});
