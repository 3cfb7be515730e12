/**
 * `npm run bench -- --first-group [--runs N]`: a page's first group photo, which needs the
 * full-range face detector. Fresh page each run, models ready, then sample1.jpg picked either at
 * once (the detector is loaded when the photo arrives) or DRAG_MS after files were dragged into
 * the window (the page starts the detector on the drag, src/ui/PhotoDrop.tsx), alternating. Time
 * from the pick to the photo's ages, on the page.
 */
import type { Browser, Page } from '@playwright/test';
import { FIXTURES, median } from './benchShared';

/** A drag from the desktop to the drop zone takes about a second. */
const DRAG_MS = 1200;

async function pickSample1(page: Page): Promise<{ ms: number; landmarksMs: number }> {
  const t0 = Date.now();
  await page.getByTestId('photo-input').setInputFiles(`${FIXTURES}sample1.jpg`);
  const card = page.getByTestId('photo').first();
  await card.and(page.locator('[data-status=done]')).waitFor({ timeout: 300_000 });
  const ms = Date.now() - t0;
  if ((await card.getAttribute('data-faces')) !== '3') throw new Error('sample1.jpg: expected 3 faces');
  const timings = JSON.parse((await card.getAttribute('data-timings')) ?? '{}') as { landmarksMs: number };
  return { ms, landmarksMs: timings.landmarksMs };
}

export async function firstGroupPhoto(browser: Browser, url: string, runs: number): Promise<string> {
  const results = { picked: [] as { ms: number; landmarksMs: number }[], dragged: [] as { ms: number; landmarksMs: number }[] };
  for (let run = 0; run < runs; run++) {
    for (const how of ['picked', 'dragged'] as const) {
      process.stderr.write(`first group photo, ${how}, ${run + 1}/${runs}…\n`);
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(url);
      await page.getByTestId('backend').waitFor({ timeout: 300_000 });
      if (how === 'dragged') {
        await page.evaluate((dragMs) => {
          const dt = new DataTransfer();
          dt.items.add(new File(['…'], 'photo.jpg', { type: 'image/jpeg' }));
          window.dispatchEvent(new DragEvent('dragenter', { dataTransfer: dt }));
          return new Promise((resolve) => setTimeout(resolve, dragMs));
        }, DRAG_MS);
      }
      results[how].push(await pickSample1(page));
      await context.close();
    }
  }
  const row = (label: string, r: { ms: number; landmarksMs: number }[]) =>
    `| ${label} | ${median(r.map((x) => x.ms)).toFixed(0)} | ${median(r.map((x) => x.landmarksMs)).toFixed(0)} | ${r.map((x) => x.ms).join(', ')} |`;
  return `### A page's first group photo (sample1.jpg, 3 faces; median of ${runs}, alternating; ms)

Fresh page, models ready; from the photo's pick to its ages on the page, and the worker's landmark
step (where the detector's loading falls).

| how the photo came | to its ages | landmarks | each run |
|---|---|---|---|
${row('picked with no warning (the detector loads when it arrives)', results.picked)}
${row(`dropped ${DRAG_MS} ms after files were dragged into the window (the detector loads meanwhile)`, results.dragged)}`;
}
