/**
 * `npm run bench`: builds the app, serves the production build, and times it in headless Chromium
 * on the tfjs wasm backend: cold start to first estimate, and per-face time split into
 * landmarks / alignment / ensemble for a 1-face and a 3-face photo, and training throughput on
 * the training page (heads only, heads + last 2 blocks) on the committed tiny dataset
 * e2e/fixtures/train-set, and the live webcam pipeline (scripts/benchLive.ts). Prints a markdown
 * report. `npm run bench -- --live` measures the live section alone, `-- --cold` the cold start,
 * `-- --photos` the per-photo stages alone, on one-face.jpg and all six group photos, `-- --stages
 * [--runs N]` the same on the lab page, N runs each (20), with each member's time (benchStages.ts),
 * `-- --first-group [--runs N]` a page's first group photo, with and without a drag before it
 * (benchFirstGroup.ts), `-- --revisit [--runs N]` a returning visitor's page after two photos or
 * a webcam session (benchRevisit.ts).
 */
import os from 'node:os';
import type { Browser, Page } from '@playwright/test';
import { liveBench } from './benchLive';
import { argValue, FIXTURES, median, pickPhoto } from './benchShared';
import { labStages } from './benchStages';
import { firstGroupPhoto } from './benchFirstGroup';
import { revisits } from './benchRevisit';
import { serveBuild } from './lab';
import { startPeerServer, type Counter, type PathCount, type PeerServer } from './peer/server';
import type { StageTimings } from '../src/worker/protocol';

const COLD_RUNS = 3;
const WARM_RUNS = 5;
/** BENCH_BACKEND=auto (the cold start only): no ?backend=, the page chooses as on a first visit. */
const BACKEND = process.env.BENCH_BACKEND ?? 'wasm';

/** pickPhoto, then the photo removed so the page stays as light as on its first photo. */
async function analyse(page: Page, file: string, expectedFaces: number): Promise<StageTimings> {
  const { timings, card } = await pickPhoto(page, file, expectedFaces);
  await card.getByRole('button', { name: /Remove/ }).click();
  return timings;
}

/** One run on the training page; returns its throughput (images/s). */
async function trainingRun(page: Page, what: 'heads' | 'blocks', epochs: number): Promise<{ train: number; features?: number }> {
  await page.getByTestId('train-what').selectOption(what);
  await page.getByTestId('train-epochs').fill(String(epochs));
  await page.getByTestId('train-batch').fill('8');
  await page.getByTestId('train-patience').fill(String(epochs)); // no early stop: every epoch counts
  await page.getByTestId('train-start').click();
  await page.getByTestId('throughput').waitFor({ timeout: 600_000 });
  const t = page.getByTestId('throughput');
  const features = await t.getAttribute('data-features');
  const result = { train: Number(await t.getAttribute('data-train')), features: features ? Number(features) : undefined };
  return result;
}

async function trainingThroughput(baseUrl: string, browser: import('@playwright/test').Browser): Promise<string> {
  const page = await (await browser.newContext()).newPage();
  await page.goto(new URL(`train.html?backend=${BACKEND}`, baseUrl).href);
  await page.getByTestId('train-backend').and(page.locator(`[data-backend=${BACKEND}]`)).waitFor({ timeout: 300_000 });
  await page.getByTestId('dataset-folder').setInputFiles(`${FIXTURES}train-set`);
  await page.getByTestId('train-start').and(page.locator(':enabled')).waitFor({ timeout: 300_000 });
  process.stderr.write('training, heads only…\n');
  const heads = await trainingRun(page, 'heads', 20);
  process.stderr.write('training, heads + last 2 blocks…\n');
  const blocks = await trainingRun(page, 'blocks', 3);
  await page.context().close();
  return `| heads only | ${heads.features?.toFixed(1)} | ${heads.train.toFixed(0)} |
| heads + last 2 blocks | — | ${blocks.train.toFixed(1)} |`;
}

/** One first visit: navigation to models ready and to the first estimate, and bytes received (in all and per file). */
async function coldRun(browser: Browser, server: PeerServer, url: string, serviceWorkers: 'allow' | 'block'): Promise<{ readyMs: number; firstMs: number; mb: number; files: Counter['byPath'] }> {
  const context = await browser.newContext({ serviceWorkers }); // empty HTTP cache: a first visit
  const page = await context.newPage();
  server.reset();
  const t0 = Date.now();
  await page.goto(url);
  await page.getByTestId('backend').waitFor({ timeout: 300_000 });
  const readyMs = Date.now() - t0;
  await analyse(page, 'one-face.jpg', 1);
  const firstMs = Date.now() - t0;
  // With the service worker, the visit is over once everything for offline use is cached.
  if (serviceWorkers === 'allow') await page.getByTestId('offline-ready').waitFor({ timeout: 300_000 });
  await context.close();
  return { readyMs, firstMs, mb: server.counter.bytes / 2 ** 20, files: server.counter.byPath };
}

const kib = (bytes: number) => (bytes / 1024).toFixed(1);

/** The files of one visit, largest first; the small ones summed in one row. */
function byFile(files: Counter['byPath'], largest = 14): string {
  const rows = [...files].sort((a, b) => b[1].bytes - a[1].bytes);
  const total = (list: typeof rows) => list.reduce((t, [, f]) => ({ bytes: t.bytes + f.bytes, requests: t.requests + f.requests }), { bytes: 0, requests: 0 });
  const line = (name: string, f: PathCount) => `| ${name} | ${f.requests} | ${kib(f.bytes)} |`;
  const rest = rows.slice(largest);
  return [
    '| file | requests | received (KiB) |',
    '|---|---|---|',
    ...rows.slice(0, largest).map(([path, f]) => line(`\`${path}\``, f)),
    ...(rest.length ? [line(`${rest.length} other files`, total(rest))] : []),
    line('**all**', total(rows)),
  ].join('\n');
}

async function coldStart(browser: Browser, url: string): Promise<string> {
  const rows: string[] = [];
  const breakdowns: string[] = [];
  // Counted at a proxy in front of the server: every response body the browser receives, as
  // compressed as the server sends it, the workers' scripts included.
  const target = new URL(url);
  const server = await startPeerServer(target.origin, {}, { keepEncoding: true });
  const proxied = `${server.url.replace(/\/$/, '')}${target.pathname}${target.search}`;
  try {
    for (const sw of ['block', 'allow'] as const) {
      const runs = [];
      for (let run = 0; run < COLD_RUNS; run++) {
        process.stderr.write(`cold start (service worker ${sw}) ${run + 1}/${COLD_RUNS}…\n`);
        runs.push(await coldRun(browser, server, proxied, sw));
      }
      const what = sw === 'block' ? 'the page alone (service worker blocked)' : 'with the service worker precaching for offline use';
      const medianRun = [...runs].sort((a, b) => a.mb - b.mb)[Math.floor(runs.length / 2)];
      rows.push(`| ${what} | ${median(runs.map((c) => c.readyMs))} ms | ${median(runs.map((c) => c.firstMs))} ms | ${medianRun.mb.toFixed(1)} MiB |`);
      breakdowns.push(`#### By file: ${what} (the run with the median bytes)\n\n${byFile(medianRun.files)}`);
    }
  } finally {
    await server.close();
  }
  return `### Cold start (fresh browser context, empty cache; median of ${COLD_RUNS})

Bytes are response bodies as received (compressed where the server compressed them), counted at a
proxy in front of the server, so every request of the page, its workers (their scripts included)
and the service worker counts; headers are not counted (about 0.3 KiB a request).

| first visit | page load → models ready | page load → first estimate (1 face) | received |
|---|---|---|---|
${rows.join('\n')}

Per file (path without query); with the service worker, its precache install counts too (a
revalidated file costs a 304 and no body).

${breakdowns.join('\n\n')}`;
}

/** The photos timed, with the faces each must give: one-face.jpg and sample1.jpg by default, all with --photos. */
const PHOTOS: readonly (readonly [string, number])[] = [['one-face.jpg', 1], ['sample1.jpg', 3], ['sample2.jpg', 3], ['sample3.jpg', 3], ['sample4.jpg', 4], ['sample5.jpg', 5], ['sample6.jpg', 4]];

/** Stage times per photo on a warm page (medians of WARM_RUNS), as a markdown section. */
async function photoStages(browser: Browser, url: string, photos: readonly (readonly [string, number])[]): Promise<string> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  await page.getByTestId('backend').waitFor({ timeout: 300_000 });
  await analyse(page, 'one-face.jpg', 1); // warm-up
  // Warm-up; the full-range detector loads on this first group photo, which therefore takes longer.
  const firstGroup = await analyse(page, 'sample1.jpg', 3);
  const rows: string[] = [];
  for (const [file, faces] of photos) {
    const runs: StageTimings[] = [];
    for (let i = 0; i < WARM_RUNS; i++) {
      process.stderr.write(`${file} ${i + 1}/${WARM_RUNS}…\n`);
      runs.push(await analyse(page, file, faces));
    }
    const m = (k: 'landmarksMs' | 'alignMs' | 'ensembleMs' | 'totalMs') => median(runs.map((r) => r[k]));
    rows.push(`| ${file} | ${faces} | ${m('landmarksMs').toFixed(0)} | ${m('alignMs').toFixed(1)} | ${m('ensembleMs').toFixed(0)} | ${m('totalMs').toFixed(0)} | ${(m('totalMs') / faces).toFixed(0)} |`);
  }
  await context.close();
  return `### Per photo, warm (median of ${WARM_RUNS}; ms)

Stage times measured in the inference worker. Landmarks: MediaPipe FaceLandmarker (detector + mesh)
on the whole photo; for a photo whose long side is 720 px or more (group photos) the full-range face
detector searches a scaled copy first and the landmarker runs on a crop around each face it finds.
Alignment warps each face into every distinct member crop; ensemble is the time after the landmark
step until every member has answered for every face (the member worker starts on each face as it is
found, during the landmark step, so landmarks + alignment + ensemble is the total); total runs from
the worker receiving the decoded photo to its ages (decoding and messages not included).

| photo | faces | landmarks | alignment | ensemble | total | total per face |
|---|---|---|---|---|---|---|
${rows.join('\n')}

The page's first group photo (sample1.jpg, once, before the runs above; the full-range detector is
loaded then): landmarks ${firstGroup.landmarksMs.toFixed(0)} ms, total ${firstGroup.totalMs.toFixed(0)} ms.`;
}

async function main() {
  process.stderr.write('building…\n');
  const served = await serveBuild();
  const { browser } = served;
  const url = BACKEND === 'auto' ? served.url : `${served.url}?backend=${BACKEND}`;
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const machine = `Machine: ${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}.
Browser: headless Chromium ${browser.version()}; tfjs backend: **${BACKEND === 'auto' ? "the page's choice (no ?backend=)" : BACKEND}**; production build (vite preview).`;
  if (process.argv.includes('--cold')) {
    try {
      console.log(`## agedist cold start (${new Date().toISOString().slice(0, 10)})\n\n${machine}\n\n${await coldStart(browser, url)}`);
    } finally {
      await served.close();
    }
    return;
  }
  if (process.argv.includes('--photos')) {
    try {
      console.log(`## agedist per-photo stages (${new Date().toISOString().slice(0, 10)})\n\n${machine}\n\n${await photoStages(browser, url, PHOTOS)}`);
    } finally {
      await served.close();
    }
    return;
  }
  if (process.argv.includes('--stages')) {
    try {
      console.log(`## agedist stage times (${new Date().toISOString().slice(0, 10)})\n\n${machine}\n\n${await labStages(served, PHOTOS, Number(argValue('--runs') ?? 20), BACKEND)}`);
    } finally {
      await served.close();
    }
    return;
  }
  if (process.argv.includes('--first-group')) {
    try {
      console.log(`## agedist first group photo (${new Date().toISOString().slice(0, 10)})\n\n${machine}\n\n${await firstGroupPhoto(browser, url, Number(argValue('--runs') ?? 3))}`);
    } finally {
      await served.close();
    }
    return;
  }
  if (process.argv.includes('--revisit')) {
    try {
      console.log(`## agedist repeat visits (${new Date().toISOString().slice(0, 10)})\n\n${machine}\n\n${await revisits(url, Number(argValue('--runs') ?? 2))}`);
    } finally {
      await served.close();
    }
    return;
  }
  if (process.argv.includes('--live')) {
    try {
      console.log(`## agedist live benchmark (${new Date().toISOString().slice(0, 10)})\n\n${machine}\n\n${await liveBench(served.url, BACKEND)}`);
    } finally {
      await served.close();
    }
    return;
  }
  try {
    const cold = await coldStart(browser, url);
    const photos = await photoStages(browser, url, PHOTOS.slice(0, 2));
    const training = await trainingThroughput(served.url, browser);
    const live = await liveBench(served.url, BACKEND);

    console.log(`## agedist benchmark (${new Date().toISOString().slice(0, 10)})

${machine}

${cold}

${photos}

### Training throughput on the training page (images/s)

e2e/fixtures/train-set (8 training and 4 validation faces), batch 8, both default members in turn.
Heads only, 20 epochs: each face and its mirror image are one backbone pass each ("backbone
features", done once and cached), then epochs train on the 16 cached feature rows. Heads + last 2
blocks, 3 epochs: every step decodes the 8 faces from the crop cache, mirrors them at random and
runs the whole network. "Training steps" covers making the inputs, forward, backward and the update
(validation excluded).

| what is trained | backbone features (once) | training steps |
|---|---|---|
${training}

${live}`);
  } finally {
    await served.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
