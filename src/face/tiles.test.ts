import { describe, expect, it } from 'vitest';
import { DETECTION_SIDE, cutByTileEdge, detectionSize, iou, mergeFaces, needsSearch, overlapOfSmaller, photoTiles, refinementRegion, stripTiles } from './tiles';

describe('photoTiles', () => {
  it('skips small images and covers big ones with overlapping 2x2 and 3x3 grids', () => {
    expect(photoTiles(640, 480)).toEqual([]);
    const tiles = photoTiles(1920, 1280);
    expect(tiles).toHaveLength(13);
    for (const t of tiles) {
      expect(t.x).toBeGreaterThanOrEqual(0);
      expect(t.y).toBeGreaterThanOrEqual(0);
      expect(t.x + t.width).toBeLessThanOrEqual(1920);
      expect(t.y + t.height).toBeLessThanOrEqual(1280);
    }
    // The 2x2 tiles overlap: the first ends after the second starts.
    expect(tiles[0].x + tiles[0].width).toBeGreaterThan(tiles[1].x);
    // Every pixel is covered by each grid (corner tiles touch the image corners).
    expect(tiles[3]).toMatchObject({ x: 1920 - tiles[3].width, y: 1280 - tiles[3].height });
  });
});

describe('needsSearch', () => {
  it('is true exactly for the photos photoTiles covers: big ones and extreme aspect ratios', () => {
    for (const [w, h] of [[640, 480], [719, 500], [720, 480], [1920, 1280], [600, 200], [4000, 500], [300, 1200], [256, 256]]) {
      expect(needsSearch(w, h), `${w}x${h}`).toBe(photoTiles(w, h).length > 0);
    }
    expect(needsSearch(640, 480)).toBe(false);
    expect(needsSearch(1920, 1280)).toBe(true);
    expect(needsSearch(600, 200)).toBe(true);
  });
});

describe('iou', () => {
  it('is 1 for the same box, 0 for disjoint, 1/7 for half-overlapping squares', () => {
    const a = { x: 0, y: 0, width: 10, height: 10 };
    expect(iou(a, a)).toBe(1);
    expect(iou(a, { x: 20, y: 0, width: 10, height: 10 })).toBe(0);
    expect(iou(a, { x: 5, y: 0, width: 10, height: 10 })).toBeCloseTo(50 / 150);
  });
});

describe('cutByTileEdge', () => {
  const tile = { x: 100, y: 0, width: 100, height: 100 };
  it('flags a face touching an inner tile edge but not one at the image border', () => {
    expect(cutByTileEdge({ x: 100, y: 40, width: 20, height: 20 }, tile, 300, 100)).toBe(true);
    expect(cutByTileEdge({ x: 140, y: 0, width: 20, height: 20 }, tile, 300, 100)).toBe(false); // top edge is the image's
    expect(cutByTileEdge({ x: 140, y: 40, width: 20, height: 20 }, tile, 300, 100)).toBe(false);
  });
});

describe('mergeFaces', () => {
  it('keeps one face per place, preferring the finest tile, in left-to-right order', () => {
    const merged = mergeFaces([
      { box: { x: 100, y: 0, width: 50, height: 50 }, tileArea: 1e6, id: 'whole' },
      { box: { x: 102, y: 1, width: 49, height: 50 }, tileArea: 2e5, id: 'tile' },
      { box: { x: 10, y: 0, width: 30, height: 30 }, tileArea: 2e5, id: 'small' },
      { box: { x: 101, y: 0, width: 50, height: 50 }, tileArea: 1e6, id: 'duplicate' },
    ]);
    expect(merged.map((f) => f.id)).toEqual(['small', 'tile']);
  });
});

describe('refinementRegion', () => {
  it('is a square 2.5x the face, centred on it and kept inside the image', () => {
    expect(refinementRegion({ x: 500, y: 500, width: 80, height: 100 }, 1920, 1280)).toEqual({ x: 415, y: 425, width: 250, height: 250 });
    expect(refinementRegion({ x: 0, y: 0, width: 80, height: 100 }, 1920, 1280)).toEqual({ x: 0, y: 0, width: 250, height: 250 });
    expect(refinementRegion({ x: 1900, y: 1250, width: 20, height: 20 }, 1920, 1280)).toEqual({ x: 1870, y: 1230, width: 50, height: 50 });
  });
  it('skips faces that already fill most of the frame', () => {
    expect(refinementRegion({ x: 100, y: 50, width: 300, height: 350 }, 640, 480)).toBeUndefined();
  });
});

describe('mergeFaces with coarse boxes from the scaled-down whole photo', () => {
  it('drops a coarse box that holds a finer detection of the same face, keeps neighbours apart', () => {
    const merged = mergeFaces([
      { box: { x: 1458, y: 162, width: 294, height: 294 }, tileArea: 2_457_600, id: 'coarse' },
      { box: { x: 1480, y: 249, width: 160, height: 160 }, tileArea: 534_912, id: 'fine' },
      { box: { x: 1200, y: 250, width: 160, height: 160 }, tileArea: 534_912, id: 'neighbour' },
    ]);
    expect(merged.map((f) => f.id)).toEqual(['neighbour', 'fine']);
  });
});

describe('overlapOfSmaller', () => {
  it('is 1 for a box inside another and 0 for disjoint boxes', () => {
    expect(overlapOfSmaller({ x: 0, y: 0, width: 100, height: 100 }, { x: 10, y: 10, width: 20, height: 20 })).toBe(1);
    expect(overlapOfSmaller({ x: 0, y: 0, width: 10, height: 10 }, { x: 20, y: 20, width: 5, height: 5 })).toBe(0);
    expect(overlapOfSmaller({ x: 0, y: 0, width: 10, height: 10 }, { x: 5, y: 0, width: 10, height: 10 })).toBeCloseTo(0.5, 10);
  });
});

describe('detectionSize', () => {
  it('scales the longest side down to the detector side, keeping the aspect ratio, never up', () => {
    expect(detectionSize(1920, 1280)).toEqual({ width: DETECTION_SIDE, height: Math.round((1280 * DETECTION_SIDE) / 1920) });
    expect(detectionSize(896, 1792, 320)).toEqual({ width: 160, height: 320 });
    expect(detectionSize(200, 100)).toEqual({ width: 200, height: 100 });
  });
});

describe('refinementRegion with another context', () => {
  it('scales the square with the context factor', () => {
    expect(refinementRegion({ x: 500, y: 500, width: 100, height: 100 }, 1920, 1280, 1.8)).toEqual({ x: 460, y: 460, width: 180, height: 180 });
  });
});

describe('stripTiles', () => {
  it('adds none for ordinary aspect ratios', () => {
    expect(stripTiles(1920, 1080)).toEqual([]);
    expect(photoTiles(640, 480)).toEqual([]);
  });

  it('covers a 4000x500 panorama with 750x500 tiles at most 250 px apart, so any face up to 500 px lies whole in one', () => {
    const tiles = stripTiles(4000, 500);
    expect(tiles.length).toBe(14);
    for (const t of tiles) expect(t).toMatchObject({ y: 0, width: 750, height: 500 });
    expect(tiles[0].x).toBe(0);
    expect(tiles.at(-1)!.x + 750).toBe(4000);
    for (let i = 1; i < tiles.length; i++) expect(tiles[i].x - tiles[i - 1].x).toBeLessThanOrEqual(250);
    // photoTiles searches them too, besides the grids; a small panorama gets the strips alone.
    expect(photoTiles(4000, 500)).toHaveLength(14 + 13);
    expect(photoTiles(600, 200)).toEqual(stripTiles(600, 200));
  });

  it('runs down the long side of a tall image', () => {
    const tiles = stripTiles(300, 1200);
    for (const t of tiles) expect(t).toMatchObject({ x: 0, width: 300, height: 450 });
    expect(tiles.at(-1)!.y + 450).toBe(1200);
  });
});

describe('refinementRegion in a panorama', () => {
  it('gives a big face the square as high as the image instead of the whole image', () => {
    expect(refinementRegion({ x: 100, y: 100, width: 300, height: 300 }, 1000, 800)).toBeUndefined();
    expect(refinementRegion({ x: 2000, y: 100, width: 250, height: 300 }, 4000, 500)).toEqual({ x: 1875, y: 0, width: 500, height: 500 });
  });
});
