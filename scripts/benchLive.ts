/**
 * The live section of `npm run bench`: the webcam pipeline on Chromium's fake camera playing clips
 * made from fixture photos (e2e/liveClips.ts), wasm backend. Measures, after a warm-up, over a
 * fixed window: overlay (landmark) frames per second, age updates per second for each face and
 * the longest wait of any face between two updates, and on the one-face clip (a still face with
 * synthetic jitter) the steadiness of the displayed expected age, raw (each update's own frame)
 * against fused (AgeFilter).
 */
import { chromium } from '@playwright/test';
import { writeOneFaceClip, writeThreeFacesClip } from '../e2e/liveClips';
import { cachedClip } from './clips';
import { chromiumPath, fakeCameraArgs } from './chromium';
import type { AgeTraceEntry, LiveStats } from '../src/worker/liveTypes';

const WARMUP_MS = 8000;
const WINDOW_MS = 20_000;

interface LiveRun {
  overlayFps: number;
  videoFps: number;
  faces: number;
  /** Per face: updates per second and the longest gap between two updates (ms). */
  perFace: { rate: number; maxGapMs: number }[];
  trace: AgeTraceEntry[];
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const std = (xs: number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));

async function measure(baseUrl: string, clip: string, backend: string): Promise<LiveRun> {
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: fakeCameraArgs(clip),
  });
  try {
    const page = await (await browser.newContext({ serviceWorkers: 'block' })).newPage();
    // BENCH_QUERY adds page options, e.g. memberWorkers=0 (every member in the inference worker).
    await page.goto(`${baseUrl}?backend=${backend}${process.env.BENCH_QUERY ? `&${process.env.BENCH_QUERY}` : ''}`);
    await page.getByTestId('backend').waitFor({ timeout: 300_000 });
    await page.getByTestId('camera-start').click();
    await page.locator('[data-testid=camera][data-tracking=true]').waitFor({ timeout: 300_000 });
    await page.waitForTimeout(WARMUP_MS);
    const read = () =>
      page.evaluate(() => {
        const live = (window as unknown as { agedistLive: { stats: () => LiveStats; trace: AgeTraceEntry[]; current: { faces: unknown[] } | null } }).agedistLive;
        return { at: performance.now(), stats: live.stats(), trace: [...live.trace], faces: live.current?.faces.length ?? 0 };
      });
    const start = await read();
    await page.waitForTimeout(WINDOW_MS);
    const end = await read();
    const seconds = (end.at - start.at) / 1000;
    const trace = end.trace.filter((e) => e.at > start.at);
    const ids = [...new Set(trace.map((e) => e.trackId))];
    const perFace = ids.map((id) => {
      const times = [start.at, ...trace.filter((e) => e.trackId === id).map((e) => e.at), end.at];
      return { rate: (times.length - 2) / seconds, maxGapMs: Math.max(...times.slice(1).map((t, i) => t - times[i])) };
    });
    return {
      overlayFps: (end.stats.overlayFrames - start.stats.overlayFrames) / seconds,
      videoFps: (end.stats.videoFrames - start.stats.videoFrames) / seconds,
      faces: end.faces,
      perFace,
      trace,
    };
  } finally {
    await browser.close();
  }
}

/** One face, still with jitter, 30 frames/s (e2e/liveClips.ts); also the revisit bench's camera. */
export const oneFaceClip = () => cachedClip('one-face-30fps.y4m', writeOneFaceClip);

/** Markdown section; clips are written to .cache/clips on first use. */
export async function liveBench(baseUrl: string, backend: string): Promise<string> {
  const one = oneFaceClip(), three = cachedClip('three-faces-30fps.y4m', writeThreeFacesClip);
  process.stderr.write('live, one face…\n');
  const a = await measure(baseUrl, one, backend);
  process.stderr.write('live, three faces…\n');
  const b = await measure(baseUrl, three, backend);

  const row = (name: string, r: LiveRun) =>
    `| ${name} | ${r.faces} | ${r.videoFps.toFixed(1)} | ${r.overlayFps.toFixed(1)} (${((100 * r.overlayFps) / r.videoFps).toFixed(0)}%) | ${r.perFace.map((f) => f.rate.toFixed(1)).join(' / ')} | ${Math.max(...r.perFace.map((f) => f.maxGapMs)).toFixed(0)} |`;
  const raw = a.trace.map((e) => e.raw), fused = a.trace.map((e) => e.fused);
  const diffStd = (xs: number[]) => std(xs.slice(1).map((x, i) => x - xs[i])) / Math.SQRT2;
  return `### Live webcam (fake camera, ${WARMUP_MS / 1000} s warm-up, then ${WINDOW_MS / 1000} s measured)

Clips from e2e/liveClips.ts: one face (one-face.jpg, 640x480) and three faces (cut from sample1.jpg,
640x360), both 30 frames/s with per-frame jitter (±3 px shift, ±2% scale, ±5% brightness).
Camera = frames the page was shown (Chromium's fake camera drops frames of the 30/s clip when the
machine is busy); overlay = frames whose landmarks were drawn (share of the camera's); ages =
ensemble runs per face; longest wait = the longest time any face went without a new age.

| clip | faces | camera fps | overlay fps | age updates/s per face | longest wait (ms) |
|---|---|---|---|---|---|
${row('one face', a)}
${row('three faces', b)}

Steadiness of the displayed expected age on the one-face clip, over the ${a.trace.length} age updates of the window:

| | mean (years) | std across updates | frame-to-frame std (std of successive differences / √2) |
|---|---|---|---|
| raw (each frame alone) | ${mean(raw).toFixed(2)} | ${std(raw).toFixed(3)} | ${diffStd(raw).toFixed(3)} |
| fused (AgeFilter) | ${mean(fused).toFixed(2)} | ${std(fused).toFixed(3)} | ${diffStd(fused).toFixed(3)} |
| ratio raw / fused | | ${(std(raw) / std(fused)).toFixed(1)}x | ${(diffStd(raw) / diffStd(fused)).toFixed(1)}x |`;
}
