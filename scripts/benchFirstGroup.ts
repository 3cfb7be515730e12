/**
 * `npm run bench -- --first-group [--runs N]`: a page's first group photo, which needs the
 * full-range face detector. Fresh page each run, models ready, then sample1.jpg picked either at
 * once (the detector is loaded when the photo arrives) or DRAG_MS after files were dragged into
 * the window (the page starts the detector on the drag, src/ui/PhotoDrop.tsx), alternating. Time
 * from the pick to the photo's ages, on the page.
 */
import type { Browser } from '@playwright/test';
import { dragFilesIntoWindow } from '../e2e/app';
import { median, pickPhoto } from './benchShared';

/** A drag from the desktop to the drop zone takes about a second. */
const DRAG_MS = 1200;

interface Run {
  ms: number;
  landmarksMs: number;
}

export async function firstGroupPhoto(browser: Browser, url: string, runs: number): Promise<string> {
  const results: Record<'picked' | 'dragged', Run[]> = { picked: [], dragged: [] };
  for (let run = 0; run < runs; run++) {
    for (const how of ['picked', 'dragged'] as const) {
      process.stderr.write(`first group photo, ${how}, ${run + 1}/${runs}…\n`);
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(url);
      await page.getByTestId('backend').waitFor({ timeout: 300_000 });
      if (how === 'dragged') {
        await dragFilesIntoWindow(page);
        // The visitor's drag to the drop zone, simulated.
        await page.waitForTimeout(DRAG_MS);
      }
      const t0 = Date.now();
      const { timings, doneAt } = await pickPhoto(page, 'sample1.jpg', 3);
      results[how].push({ ms: doneAt - t0, landmarksMs: timings.landmarksMs });
      await context.close();
    }
  }
  const row = (label: string, r: Run[]) =>
    `| ${label} | ${median(r.map((x) => x.ms)).toFixed(0)} | ${median(r.map((x) => x.landmarksMs)).toFixed(0)} | ${r.map((x) => x.ms).join(', ')} |`;
  return `### A page's first group photo (sample1.jpg, 3 faces; median of ${runs}, alternating; ms)

Fresh page, models ready; from the photo's pick to its ages on the page, and the worker's landmark
step (where the detector's loading falls).

| how the photo came | to its ages | landmarks | each run |
|---|---|---|---|
${row('picked with no warning (the detector loads when it arrives)', results.picked)}
${row(`dropped ${DRAG_MS} ms after files were dragged into the window (the detector loads meanwhile)`, results.dragged)}`;
}
