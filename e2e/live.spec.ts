import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { accessibilityViolations, openApp, pngStats } from './app';

// Runs in the "live" project: the fake camera plays e2e/.generated/two-faces.y4m (e2e/liveClips.ts):
// two faces for 15 s with a black corner marker, then a different photo (one face elsewhere)
// for 4 s with a white marker, looped.

interface Recording {
  /** Every overlay frame the page drew: when its camera frame was taken, and the track ids. */
  frames: { at: number; ids: number[] }[];
  /** When the corner marker changed colour in the video (scene cuts). */
  scenes: { at: number; white: boolean }[];
}

/** Starts the live view and records overlay frames and scene cuts in the page. */
async function startRecording(page: Page): Promise<void> {
  await page.getByTestId('camera-start').click();
  await expect(page.getByTestId('camera')).toHaveAttribute('data-tracking', 'true', { timeout: 120_000 });
  await page.evaluate(() => {
    const w = window as unknown as { agedistLive?: { current: { at: number; faces: { trackId: number }[] } | null }; recording: Recording };
    const rec: Recording = (w.recording = { frames: [], scenes: [] });
    const video = document.querySelector<HTMLVideoElement>('[data-testid=camera] video')!;
    const ctx = new OffscreenCanvas(1, 1).getContext('2d', { willReadFrequently: true })!;
    let white: boolean | undefined;
    const onVideoFrame = () => {
      ctx.drawImage(video, 4, 4, 8, 8, 0, 0, 1, 1);
      const now = ctx.getImageData(0, 0, 1, 1).data[0] > 128;
      if (now !== white) rec.scenes.push({ at: performance.now(), white: (white = now) });
      video.requestVideoFrameCallback(onVideoFrame);
    };
    video.requestVideoFrameCallback(onVideoFrame);
    let lastAt = -1;
    const poll = () => {
      const current = w.agedistLive?.current;
      if (current && current.at !== lastAt) {
        lastAt = current.at;
        rec.frames.push({ at: current.at, ids: current.faces.map((f) => f.trackId) });
      }
      requestAnimationFrame(poll);
    };
    requestAnimationFrame(poll);
  });
}

/**
 * From a recording: the longest run of consecutive overlay frames in the two-face scene that all
 * show the same two ids, and, for the first cut to the other scene after that run, how long the
 * page took to show a face under a new id.
 */
function analyse(rec: Recording): { stableFrames: number; newTrackAfterMs?: number } {
  const sceneAt = (t: number) => [...rec.scenes].reverse().find((s) => s.at <= t)?.white;
  let best = { length: 0, end: 0, ids: [] as number[] };
  let run = { length: 0, key: '' };
  rec.frames.forEach((f, i) => {
    const key = f.ids.length === 2 && sceneAt(f.at) === false ? [...f.ids].sort().join(',') : '';
    run = key && key === run.key ? { length: run.length + 1, key } : { length: key ? 1 : 0, key };
    if (run.length > best.length) best = { length: run.length, end: i, ids: f.ids };
  });
  if (best.length === 0) return { stableFrames: 0 };
  const runEnd = rec.frames[best.end].at;
  const cut = rec.scenes.find((s) => s.white && s.at > runEnd);
  if (!cut) return { stableFrames: best.length };
  const fresh = rec.frames.find((f) => f.at >= cut.at && f.ids.length > 0 && f.ids.every((id) => !best.ids.includes(id)));
  return { stableFrames: best.length, newTrackAfterMs: fresh ? fresh.at - cut.at : undefined };
}

test('two faces keep their track ids across 100 frames, and a scene change starts new tracks within 1 s', async ({ page }) => {
  const foreign = await openApp(page);
  await startRecording(page);
  const overlay = page.getByTestId('camera').getByTestId('face');
  await expect(overlay.first()).toHaveAttribute('data-track-id', /\d+/);
  let result: ReturnType<typeof analyse> = { stableFrames: 0 };
  await expect
    .poll(
      async () => {
        const rec = await page.evaluate(() => (window as unknown as { recording: Recording }).recording);
        result = analyse(rec);
        if (process.env.LIVE_DEBUG) console.log(JSON.stringify({ result, n: rec.frames.length, scenes: rec.scenes.map((s) => [Math.round(s.at), s.white]), ids: rec.frames.slice(-60).map((f) => f.ids.join('+')).join(' ') }));
        return result.stableFrames >= 100 && result.newTrackAfterMs !== undefined;
      },
      { timeout: 150_000, intervals: [1000] },
    )
    .toBe(true);
  expect(result.newTrackAfterMs).toBeLessThanOrEqual(1000);
  // Boxes carry labels with an age once the ensemble has run on them.
  await expect(overlay.first()).toHaveAttribute('aria-label', /≈ \d+ \(±\d+\)/, { timeout: 60_000 });
  expect(foreign).toEqual([]);
});

test('F opens conference mode with a chart per face, Space freezes, S saves a PNG snapshot', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('camera-start').click();
  const camera = page.getByTestId('camera');
  await expect(camera).toHaveAttribute('data-tracking', 'true', { timeout: 120_000 });
  await page.locator('body').click({ position: { x: 1, y: 1 } }); // focus the page, not a button
  await page.keyboard.press('f');
  await expect(camera).toHaveAttribute('data-conference', 'true');
  await expect(page.getByText('F leaves this view · Space freezes the frame · S saves a snapshot')).toBeVisible();
  const charts = page.getByTestId('live-chart');
  await expect.poll(() => charts.count(), { timeout: 120_000 }).toBeGreaterThanOrEqual(1);
  await expect(page.locator('.chart-meaning')).toContainText('What this chart means');
  // Checked with the controls showing (they fade out while the mouse rests): white on black.
  await page.mouse.move(40, 40);
  await page.mouse.move(60, 60);
  await expect(camera.getByRole('group', { name: /^Export the results/ })).toBeVisible();
  expect(await accessibilityViolations(page)).toEqual([]);

  await page.keyboard.press('Space');
  await expect(camera).toHaveAttribute('data-frozen', 'true');
  expect(await camera.locator('video').evaluate((v: HTMLVideoElement) => v.paused)).toBe(true);
  const frozenAt = await page.evaluate(() => (window as unknown as { agedistLive: { current: { at: number } } }).agedistLive.current.at);

  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.keyboard.press('s')]);
  expect(download.suggestedFilename()).toMatch(/^webcam .*\.agedist\.png$/);
  const bytes = readFileSync(await download.path());
  const size = await camera.locator('video').evaluate((v: HTMLVideoElement) => [v.videoWidth, v.videoHeight]);
  const png = await pngStats(page, bytes, size[1]);
  expect(png.width).toBeGreaterThanOrEqual(size[0]);
  expect(png.photo).toBeGreaterThan(100);
  expect(png.charts).toBeGreaterThan(50);
  // Still frozen on the same frame after the snapshot.
  expect(await page.evaluate(() => (window as unknown as { agedistLive: { current: { at: number } } }).agedistLive.current.at)).toBe(frozenAt);

  await page.keyboard.press('Space');
  await expect(camera).toHaveAttribute('data-frozen', 'false');
  await expect.poll(() => page.evaluate(() => (window as unknown as { agedistLive: { current: { at: number } } }).agedistLive.current.at), { timeout: 30_000 }).toBeGreaterThan(frozenAt);
  await page.keyboard.press('f');
  await expect(camera).toHaveAttribute('data-conference', 'false');
});

test('on a phone held upright, conference mode stacks the video over the charts, each chart whole', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 800 });
  await openApp(page);
  await page.getByTestId('camera-start').click();
  const camera = page.getByTestId('camera');
  await expect(camera).toHaveAttribute('data-tracking', 'true', { timeout: 120_000 });
  await page.getByRole('button', { name: /Conference mode/ }).click();
  await expect(camera).toHaveAttribute('data-conference', 'true');
  const charts = page.getByTestId('live-chart');
  await expect.poll(() => charts.count(), { timeout: 120_000 }).toBe(2);
  const video = await camera.locator('video').boundingBox();
  const boxes = await charts.evaluateAll((els) => els.map((el) => el.querySelector('canvas')!.getBoundingClientRect()).map((r) => ({ top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height })));
  // Side by side on a 390-px screen the charts were squeezed to nothing; stacked under the video
  // each keeps a readable height, inside the screen's width, without overlapping the next one.
  expect(video!.width).toBeGreaterThan(300);
  for (const box of boxes) {
    expect(box.top).toBeGreaterThanOrEqual(video!.y + video!.height - 1);
    expect(box.height).toBeGreaterThan(120);
    expect(box.right).toBeLessThanOrEqual(390);
  }
  expect(boxes[1].top).toBeGreaterThanOrEqual(boxes[0].bottom);
});
