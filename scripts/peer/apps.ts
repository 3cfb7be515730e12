/**
 * The pages the side-by-side benchmark drives (scripts/benchPeer.ts): agedist's lab page, Human's
 * page and the floor pages; their URLs, how each is timed on a photo, and one cold start with the
 * browser's CPU time and the bytes served meanwhile.
 */
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import type { PeerServer } from './server';
import { cpuBetween, cpuSnapshot, type ProcessKind, type ThreadKind } from './cpu';
import { floorPath, type Floor } from './floor';
import { FIXTURES } from '../benchShared';

/** What the pages are asked for: agedist's ensemble manifest, Human's threads, whether cold starts wait for an idle browser. */
export interface PeerOptions {
  ensemble?: string;
  humanThreads: boolean;
  settle: boolean;
}

export type App = 'agedist' | 'human';
/** The cold starts also time five floor pages (scripts/peer/floor.ts). */
export type ColdApp = App | Floor;
export const FLOORS: Floor[] = ['landmarks', 'detector', 'compile', 'members', 'blank'];
export const FLOOR_LABELS: Record<Floor, string> = {
  landmarks: "MediaPipe's FaceLandmarker alone (what agedist runs first)",
  detector: "MediaPipe's FaceDetector alone (full range; the least a tasks-vision app runs)",
  compile: "tasks-vision's 13 MB of wasm compiled, nothing run (what any tasks-vision app pays first)",
  members: "agedist's two age networks alone (loaded in its member workers and run on a blank crop; no face finding)",
  blank: 'a blank page (the decode only)',
};
export interface Timed {
  ms: number;
  faces: number;
  ages: number[];
}

export const b64 = (file: string) => readFileSync(`${FIXTURES}${file}`).toString('base64');

const isFloor = (app: ColdApp): app is Floor => (FLOORS as string[]).includes(app);

export function appUrl(server: PeerServer, app: ColdApp, options: PeerOptions): string {
  if (isFloor(app)) return `${server.url}${floorPath(app)}`;
  return app === 'agedist' ? `${server.url}lab.html?backend=wasm${options.ensemble ? `&ensemble=${encodeURIComponent(options.ensemble)}` : ''}` : `${server.url}peer/index.html${options.humanThreads ? '' : '?threads=0'}`;
}

export async function ready(page: Page, app: ColdApp): Promise<string> {
  if (isFloor(app)) return page.evaluate(() => window.floorPeer.ready);
  if (app === 'agedist') {
    const info = await page.evaluate(() => window.agedistLab.ready);
    return `${info.backend}, members ${info.members.join(' + ')}`;
  }
  const info = await page.evaluate(() => window.humanPeer.ready);
  return `${info.backend} (${info.threads ? 'multi-threaded' : 'single-threaded'}), tfjs ${info.tfjs}`;
}

/**
 * Time from the photo's bytes in the page to its ages, measured in the page. Both include the same
 * createImageBitmap decode (agedist's lab API takes bytes and decodes them itself).
 */
export async function time(page: Page, app: ColdApp, file: string): Promise<Timed> {
  const data = b64(file);
  if (app === 'agedist') {
    return page.evaluate(async (base64) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const t0 = performance.now();
      const result = await window.agedistLab.estimate(bytes, 'photo');
      return { ms: performance.now() - t0, faces: result.faces.length, ages: result.faces.map((f) => f.mean) };
    }, data);
  }
  // Human's page and the floor pages take a decoded bitmap: the decode is timed here, as agedist's lab times its own.
  return page.evaluate(
    async ({ base64, floor }) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const t0 = performance.now();
      const bitmap = await createImageBitmap(new Blob([bytes]));
      const result = await (floor ? window.floorPeer : window.humanPeer).detect(bitmap);
      return { ms: performance.now() - t0, ...result };
    },
    { base64: data, floor: isFloor(app) },
  );
}

export async function newContext(browser: Browser, serviceWorkers: 'block' | 'allow' = 'block'): Promise<BrowserContext> {
  return browser.newContext({ serviceWorkers }); // a fresh context: empty HTTP cache and storage
}

/**
 * Waits until the browser's processes use under 5% of a core over half a second (at most 15 s):
 * headless Chromium starts a top-chrome WebUI renderer with each new context, about 1.5 s of CPU
 * that otherwise overlaps the page's cold start (a visitor's browser window is already open); and
 * what a page still does after its last call (agedist warms itself while idle) must not overlap
 * the other app's timed calls.
 */
export async function browserSettled(): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const before = cpuSnapshot();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const after = cpuSnapshot();
    if (!before || !after || cpuBetween(before, after).total < 25) return;
  }
}

/**
 * Fresh context, navigate, first photo's ages: wall time from navigation, CPU time of the browser's
 * processes meanwhile (Linux; NaN elsewhere) in all and by kind of process, and bytes served meanwhile.
 */
export async function coldStart(browser: Browser, server: PeerServer, app: ColdApp, photo: string, options: PeerOptions) {
  const context = await newContext(browser);
  const page = await context.newPage();
  if (options.settle) await browserSettled();
  server.reset();
  const cpu0 = cpuSnapshot();
  const t0 = Date.now();
  await page.goto(appUrl(server, app, options));
  await ready(page, app);
  const first = await time(page, app, photo);
  const ms = Date.now() - t0;
  const cpu1 = cpuSnapshot();
  const cpu = cpu0 && cpu1 ? cpuBetween(cpu0, cpu1) : { total: NaN, byKind: new Map<ProcessKind, number>(), rendererThreads: new Map<ThreadKind, number>() };
  const { bytes, requests, paths } = server.counter;
  await context.close();
  return { ms, faces: first.faces, cpuMs: cpu.total, cpuByKind: cpu.byKind, cpuByThread: cpu.rendererThreads, bytes, requests, paths: [...paths] };
}

/** agedist's main page with its service worker allowed: bytes until the precache is installed and the network is quiet. */
export async function agedistWithServiceWorker(browser: Browser, server: PeerServer): Promise<{ bytes: number; requests: number }> {
  const context = await newContext(browser, 'allow');
  const page = await context.newPage();
  server.reset();
  await page.goto(`${server.url}?backend=wasm`);
  await page.getByTestId('backend').waitFor({ timeout: 300_000 });
  await page.evaluate(() => navigator.serviceWorker.ready);
  let last = -1;
  while (server.counter.bytes !== last) {
    last = server.counter.bytes;
    await page.waitForTimeout(3000);
  }
  const { bytes, requests } = server.counter;
  await context.close();
  return { bytes, requests };
}

