/**
 * `npm run bench -- --revisit [--runs N]`: how soon a returning visitor's page is ready, after a
 * first visit that analysed two photos or ran the webcam for WEBCAM_MS. Each run is a fresh
 * persistent profile (Playwright's default contexts are off the record, and keep no code cache),
 * service worker allowed as for a real visitor, the fake camera playing the one-face clip. The
 * second visit's times tell whether V8 cached the compiled wasm of the first (it writes that
 * cache only once enough of a module has been optimised; the size of the profile's wasm code cache
 * is printed beside).
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { chromiumPath, fakeCameraArgs } from './chromium';
import { oneFaceClip } from './benchLive';
import { median, pickPhoto } from './benchShared';

const WEBCAM_MS = 20_000;

type History = 'two photos' | 'webcam';

interface Visit {
  readyMs: number;
  firstMs: number;
}

/** Bytes of the files under a folder (0 when it does not exist). */
function folderBytes(path: string): number {
  if (!existsSync(path)) return 0;
  return readdirSync(path, { recursive: true, withFileTypes: true }).reduce((sum, entry) => sum + (entry.isFile() ? statSync(join(entry.parentPath, entry.name)).size : 0), 0);
}

/** Navigation → models ready, and → one-face.jpg's ages. */
async function visit(page: Page, url: string): Promise<Visit> {
  const t0 = Date.now();
  await page.goto(url);
  await page.getByTestId('backend').waitFor({ timeout: 300_000 });
  const readyMs = Date.now() - t0;
  const { doneAt } = await pickPhoto(page, 'one-face.jpg', 1);
  return { readyMs, firstMs: doneAt - t0 };
}

async function run(url: string, history: History): Promise<{ first: Visit; second: Visit; wasmCacheBytes: number }> {
  const profile = mkdtempSync(join(tmpdir(), 'agedist-revisit-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    args: fakeCameraArgs(oneFaceClip()),
    serviceWorkers: 'allow',
  });
  try {
    let page = await context.newPage();
    const first = await visit(page, url);
    if (history === 'two photos') await pickPhoto(page, 'sample1.jpg', 3);
    else {
      await page.getByTestId('camera-start').click();
      await page.locator('[data-testid=camera][data-tracking=true]').waitFor({ timeout: 300_000 });
      await page.waitForTimeout(WEBCAM_MS);
      await page.getByTestId('camera-stop').click();
    }
    // The offline copy is in place before the visitor leaves, in both histories.
    await page.getByTestId('offline-ready').waitFor({ timeout: 300_000 });
    await page.close();
    page = await context.newPage();
    const second = await visit(page, url);
    const wasmCacheBytes = folderBytes(join(profile, 'Default', 'Code Cache', 'wasm'));
    return { first, second, wasmCacheBytes };
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

export async function revisits(url: string, runs: number): Promise<string> {
  const results: Record<History, Awaited<ReturnType<typeof run>>[]> = { 'two photos': [], webcam: [] };
  for (let i = 0; i < runs; i++) {
    for (const history of ['two photos', 'webcam'] as const) {
      process.stderr.write(`revisit after ${history}, ${i + 1}/${runs}…\n`);
      results[history].push(await run(url, history));
    }
  }
  const ms = (xs: number[]) => `${median(xs).toFixed(0)} ms`;
  const row = (history: History) => {
    const r = results[history];
    return `| ${history === 'webcam' ? `the webcam for ${WEBCAM_MS / 1000} s` : 'one-face.jpg and sample1.jpg'} | ${ms(r.map((x) => x.first.readyMs))} / ${ms(r.map((x) => x.first.firstMs))} | ${ms(r.map((x) => x.second.readyMs))} / ${ms(r.map((x) => x.second.firstMs))} | ${r.map((x) => `${x.second.readyMs} / ${x.second.firstMs}`).join(', ')} | ${r.map((x) => `${(x.wasmCacheBytes / 2 ** 20).toFixed(2)} MiB`).join(', ')} |`;
  };
  return `### A returning visitor (persistent profile, service worker allowed; median of ${runs})

Each run: a fresh profile; the first visit (navigation → models ready / → the ages of one-face.jpg),
then what the visitor did, then the offline copy awaited and the page closed; the second visit in a
new tab, timed the same way. Wasm code cache: the profile's \`Code Cache/wasm\` folder after the
second visit, each run.

| first visit, then | first visit: ready / first estimate | second visit: ready / first estimate | second visit, each run (ms) | wasm code cache |
|---|---|---|---|---|
${row('two photos')}
${row('webcam')}`;
}
