import { describe, expect, it } from 'vitest';
import { MAX_CHARTS, MIN_WIDTH, resultsLayout, type Rect } from './resultsLayout';

const inside = (r: Rect, width: number, height: number) => r.x >= 0 && r.y >= 0 && r.x + r.width <= width && r.y + r.height <= height;
const overlap = (a: Rect, b: Rect) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('resultsLayout', () => {
  it('keeps the image at its own size on top, charts in two columns below, the footer last', () => {
    const l = resultsLayout(1600, 1000, 3);
    expect(l.width).toBe(1600);
    expect(l.image).toEqual({ x: 0, y: 0, width: 1600, height: 1000 });
    expect(l.charts).toHaveLength(3);
    expect(l.charts[0].y).toBe(l.charts[1].y);
    expect(l.charts[2].y).toBeGreaterThan(l.charts[0].y + l.charts[0].height);
    for (const c of l.charts) {
      expect(c.y).toBeGreaterThanOrEqual(1000);
      expect(inside(c, l.width, l.height)).toBe(true);
    }
    expect(overlap(l.charts[0], l.charts[1])).toBe(false);
    expect(l.footer.y).toBeGreaterThanOrEqual(l.charts[2].y + l.charts[2].height);
    expect(l.footer.y + l.footer.height).toBe(l.height);
    expect(l.moreFaces).toBe(0);
  });

  it('widens a small image’s canvas for readable charts and centres the image', () => {
    const l = resultsLayout(400, 300, 1);
    expect(l.width).toBe(MIN_WIDTH);
    expect(l.image.x).toBe((MIN_WIDTH - 400) / 2);
    expect(l.charts).toHaveLength(1);
    expect(l.charts[0].width).toBeGreaterThan(MIN_WIDTH * 0.9);
  });

  it(`charts at most ${MAX_CHARTS} faces and counts the rest`, () => {
    const l = resultsLayout(1000, 800, 7);
    expect(l.charts).toHaveLength(MAX_CHARTS);
    expect(l.moreFaces).toBe(3);
  });

  it('is the image and the footer when there is no face', () => {
    const l = resultsLayout(800, 600, 0);
    expect(l.charts).toEqual([]);
    expect(l.footer.y).toBe(600);
  });
});
