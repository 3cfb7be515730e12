/** Shared e2e helpers: open the app with outside requests blocked and recorded, drop files, read results. */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import { BASE_URL, FIXTURES } from './paths';

export const fixture = (name: string) => `${FIXTURES}${name}`;

/**
 * Opens the page and records every request (page and workers) that leaves its origin; such
 * requests are aborted so a test never depends on the network. Returns the list to assert on.
 * `path` is relative to the test server, or a full URL on another one.
 */
export async function openApp(page: Page, query = '?backend=wasm', path = '/', readyTestId = 'backend'): Promise<string[]> {
  const foreign: string[] = [];
  const origin = new URL(path, BASE_URL).origin;
  const context = page.context();
  context.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(origin) && !url.startsWith('blob:') && !url.startsWith('data:')) foreign.push(url);
  });
  await context.route((url) => url.origin !== origin && url.protocol.startsWith('http'), (route) => route.abort());
  await page.goto(`${path}${query}`);
  await expect(page.getByTestId(readyTestId)).toBeVisible({ timeout: 120_000 });
  return foreign;
}

/** Simulates dragging files from the desktop onto the drop zone. */
export async function dropFiles(page: Page, files: { name: string; path?: string; bytes?: Buffer; mimeType: string }[], target = 'photo-drop'): Promise<void> {
  const payload = files.map((f) => ({
    name: f.name,
    mimeType: f.mimeType,
    base64: (f.bytes ?? readFileSync(f.path!)).toString('base64'),
  }));
  const dataTransfer = await page.evaluateHandle((items) => {
    const dt = new DataTransfer();
    for (const item of items) {
      const bytes = Uint8Array.from(atob(item.base64), (c) => c.charCodeAt(0));
      dt.items.add(new File([bytes], item.name, { type: item.mimeType }));
    }
    return dt;
  }, payload);
  await page.getByTestId(target).dispatchEvent('drop', { dataTransfer });
}

/**
 * Simulates files dragged from the desktop entering the window (nothing dropped yet): what the
 * page takes as photos on their way.
 */
export async function dragFilesIntoWindow(page: Page): Promise<void> {
  await page.evaluate(() => {
    const dt = new DataTransfer();
    dt.items.add(new File(['…'], 'photo.jpg', { type: 'image/jpeg' }));
    window.dispatchEvent(new DragEvent('dragenter', { dataTransfer: dt }));
  });
}

export const jpeg = (name: string) => ({ name: basename(name), path: fixture(name), mimeType: 'image/jpeg' });

/** axe-core's WCAG violations on the page as it is now, one line each: "rule: help (first nodes)". */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations.map((v) => `${v.id}: ${v.help} (${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')})`);
}

/** Waits until the photo called `name` is analysed and returns its face ages. */
export async function facesOf(page: Page, name: string): Promise<number[]> {
  const card = page.getByTestId('photo').filter({ hasText: name });
  await expect(card).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
  return card.getByTestId('face').evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-age'))));
}

/**
 * Decodes a PNG in the page and returns its size and the luma variance of the rows above and
 * below `splitY` (e.g. the photo and the charts of an exported image): a blank part has none.
 */
export async function pngStats(page: Page, bytes: Buffer, splitY: number): Promise<{ width: number; height: number; photo: number; charts: number }> {
  return page.evaluate(
    async ({ base64, photoHeight }) => {
      const data = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const bitmap = await createImageBitmap(new Blob([data], { type: 'image/png' }));
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(bitmap, 0, 0);
      const variance = (y0: number, y1: number) => {
        if (y1 <= y0) return 0;
        const rgba = ctx.getImageData(0, y0, bitmap.width, y1 - y0).data;
        let sum = 0;
        let sumSq = 0;
        const n = rgba.length / 4;
        for (let i = 0; i < rgba.length; i += 4) {
          const luma = 0.299 * rgba[i] + 0.587 * rgba[i + 1] + 0.114 * rgba[i + 2];
          sum += luma;
          sumSq += luma * luma;
        }
        return sumSq / n - (sum / n) ** 2;
      };
      return { width: bitmap.width, height: bitmap.height, photo: variance(0, photoHeight), charts: variance(photoHeight, bitmap.height) };
    },
    { base64: bytes.toString('base64'), photoHeight: splitY },
  );
}
