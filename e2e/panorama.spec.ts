import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { dropFiles, fixture, openApp } from './app';

/**
 * A 4000x500 panorama (made here on a canvas, not stored) with one-face.jpg scaled to 500x500 at
 * x = 2600: the face is about 250 px of a 4000-px-wide picture. The detector letterboxes a frame to
 * a square, so whole-image and grid-tile passes see it at a few pixels; the strip tiles along the
 * long side (src/face/tiles.ts stripTiles) find it.
 */
test('a face in a 4000x500 panorama is found in photo mode', async ({ page }) => {
  await openApp(page);
  const photoX = 2600;
  const base64 = await page.evaluate(
    async ({ face, x }) => {
      const bitmap = await createImageBitmap(new Blob([Uint8Array.from(atob(face), (c) => c.charCodeAt(0))]));
      const canvas = new OffscreenCanvas(4000, 500);
      const ctx = canvas.getContext('2d')!;
      ctx.fillStyle = '#7a8a70';
      ctx.fillRect(0, 0, 4000, 500);
      ctx.drawImage(bitmap, x, 0, 500, 500);
      const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.9 })).arrayBuffer());
      let binary = '';
      for (const b of bytes) binary += String.fromCharCode(b);
      return btoa(binary);
    },
    { face: readFileSync(fixture('one-face.jpg')).toString('base64'), x: photoX },
  );
  await dropFiles(page, [{ name: 'panorama.jpg', bytes: Buffer.from(base64, 'base64'), mimeType: 'image/jpeg' }]);
  const card = page.getByTestId('photo').filter({ hasText: 'panorama.jpg' });
  await expect(card).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
  await expect(card).toHaveAttribute('data-faces', '1');
  const [points] = await card.getByTestId('face').evaluateAll((els) => els.map((el) => JSON.parse(el.getAttribute('data-points5')!) as [number, number][]));
  // All five points inside the pasted photo, eyes above the mouth.
  for (const [x, y] of points) {
    expect(x).toBeGreaterThan(photoX);
    expect(x).toBeLessThan(photoX + 500);
    expect(y).toBeGreaterThan(0);
    expect(y).toBeLessThan(500);
  }
  expect(points[0][1]).toBeLessThan(points[3][1]);
});
