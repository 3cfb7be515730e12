/**
 * `npm run bench:peer`: agedist side by side with @vladmandic/human in the same headless Chromium,
 * tfjs wasm backend, alternating the two per photo and per round, on the same photos. Human is
 * installed on demand into .cache/peer (not a dependency of the app). Both apps are served by one
 * local server (scripts/peer/server.ts) that counts the bytes of every response, workers' included.
 * Prints a markdown report. `-- --rounds N` (default 3); `-- --human-threads 0` forces Human onto
 * the single-threaded wasm build that agedist uses; `-- --ensemble models/ensembles/NAME.json` measures
 * another agedist ensemble manifest than the default; `-- --settle` starts each cold start once the
 * browser is idle after opening its context. The cold starts also time five floor pages
 * (scripts/peer/floor.ts): what any app built on MediaPipe, or running agedist's two age
 * networks, needs before its first result.
 */
import os from 'node:os';
import type { Page } from '@playwright/test';
import { serveBuild } from './lab';
import { HUMAN_CONFIG, HUMAN_DIR, HUMAN_MODELS_DIR, HUMAN_MODELS_VERSION, PAGE_DIR, WASM_DIR, ensureHuman, writePage } from './peer/human';
import { startPeerServer } from './peer/server';
import type { ProcessKind, ThreadKind } from './peer/cpu';
import { TASKS_VISION_DIR, writeFloorPages } from './peer/floor';
import { FLOORS, FLOOR_LABELS, agedistWithServiceWorker, b64, appUrl, browserSettled, coldStart, newContext, ready, time, type App, type ColdApp, type PeerOptions, type Timed } from './peer/apps';
import { argValue } from './benchShared';

const DIST_DIR = new URL('../dist/', import.meta.url).pathname;
const PHOTOS = ['one-face.jpg', 'sample1.jpg', 'sample2.jpg', 'sample3.jpg', 'sample4.jpg', 'sample5.jpg', 'sample6.jpg'];
const COLD_PHOTO = 'one-face.jpg';
const ROUNDS = Number(argValue('--rounds') ?? 3);
/** `--settle`: each cold start navigates once the new context's own browser work is done (peer/apps.ts). */
const OPTIONS: PeerOptions = { ensemble: argValue('--ensemble'), humanThreads: argValue('--human-threads') !== '0', settle: process.argv.includes('--settle') };

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

async function main() {
  const humanVersion = ensureHuman();
  writePage();
  process.stderr.write('building agedist…\n');
  const served = await serveBuild();
  writeFloorPages(DIST_DIR); // the members floor runs the build's member worker
  const { browser } = served;
  const server = await startPeerServer(served.url, {
    '/peer/human/': `${HUMAN_DIR}dist/`,
    '/peer/models/': HUMAN_MODELS_DIR,
    '/peer/wasm/': WASM_DIR,
    '/peer/tasks-vision/': TASKS_VISION_DIR,
    '/peer/': PAGE_DIR,
  });
  const apps: App[] = ['agedist', 'human'];
  try {
    // Cold starts, alternating.
    const cold: Record<ColdApp, Awaited<ReturnType<typeof coldStart>>[]> = { agedist: [], human: [], landmarks: [], detector: [], compile: [], members: [], blank: [] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const app of [...apps, ...FLOORS]) {
        process.stderr.write(`cold start ${round + 1}/${ROUNDS}: ${app}…\n`);
        cold[app].push(await coldStart(browser, server, app, COLD_PHOTO, OPTIONS));
      }
    }
    const wasmFiles = (app: App) => [...new Set(cold[app][0].paths.filter((p) => p.endsWith('.wasm')).map((p) => p.split('/').pop()))].join(', ');

    // Warm pages, one per app, kept open; warm-up call on a one-face and a group photo.
    const pages = {} as Record<App, Page>;
    const runtime = {} as Record<App, string>;
    for (const app of apps) {
      pages[app] = await (await newContext(browser)).newPage();
      await pages[app].goto(appUrl(server, app, OPTIONS));
      runtime[app] = await ready(pages[app], app);
      await time(pages[app], app, 'one-face.jpg');
      await time(pages[app], app, 'sample1.jpg');
    }
    await browserSettled(); // both pages idle before anything is timed
    const decodes: number[] = [];
    for (let i = 0; i < 3; i++) {
      decodes.push(
        await pages.human.evaluate(async (base64) => {
          const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
          const t0 = performance.now();
          (await createImageBitmap(new Blob([bytes]))).close();
          return performance.now() - t0;
        }, b64('sample1.jpg')),
      );
    }
    const decodeMs = median(decodes);
    const warm: Record<App, Record<string, Timed[]>> = { agedist: {}, human: {} };
    for (let round = 0; round < ROUNDS; round++) {
      for (const photo of PHOTOS) {
        for (const app of round % 2 ? [...apps].reverse() : apps) {
          process.stderr.write(`round ${round + 1}/${ROUNDS}: ${photo} ${app}…\n`);
          (warm[app][photo] ??= []).push(await time(pages[app], app, photo));
        }
      }
    }
    const swBytes = await agedistWithServiceWorker(browser, server);

    // Report.
    const m = (app: App, photo: string) => median(warm[app][photo].map((t) => t.ms));
    const faces = (app: App, photo: string) => warm[app][photo].at(-1)!.faces;
    const rows = PHOTOS.map((p) => {
      const agesOf = (app: App) => warm[app][p].at(-1)!.ages.map((a) => a.toFixed(0)).join(', ');
      return `| ${p} | ${faces('agedist', p)} / ${faces('human', p)} | ${m('agedist', p).toFixed(0)} | ${m('human', p).toFixed(0)} | ${ratio(m('agedist', p), m('human', p))} | ${agesOf('agedist')} | ${agesOf('human')} |`;
    });
    // Every round, to show what the medians hide: a page's first rounds run while V8 is still
    // optimising its hot wasm and JavaScript (docs/BENCHMARKS.md, "Why photo times vary…").
    const roundRows = PHOTOS.map((p) => `| ${p} | ${warm.agedist[p].map((t, i) => `${t.ms.toFixed(0)} / ${warm.human[p][i].ms.toFixed(0)}`).join(' | ')} |`);
    const roundHeader = `| photo | ${Array.from({ length: ROUNDS }, (_, i) => `round ${i + 1}`).join(' | ')} |\n|---|${'---|'.repeat(ROUNDS)}`;
    const perFace = (app: App, photos: string[]) => median(photos.map((p) => m(app, p) / Math.max(1, faces(app, p))));
    const groups = PHOTOS.filter((p) => p.startsWith('sample'));
    const faceRow = (label: string, photos: string[]) =>
      `| ${label} | ${perFace('agedist', photos).toFixed(0)} | ${perFace('human', photos).toFixed(0)} | ${ratio(perFace('agedist', photos), perFace('human', photos))} |`;
    const c = (app: ColdApp, k: 'ms' | 'cpuMs' | 'bytes' | 'requests' | 'faces') => median(cold[app].map((r) => r[k]));
    const cores = (app: ColdApp) => median(cold[app].map((r) => r.cpuMs / r.ms));
    const kindMs = (app: ColdApp, kind: ProcessKind) => median(cold[app].map((r) => r.cpuByKind.get(kind) ?? 0)).toFixed(0);
    const KINDS: [ProcessKind, string][] = [
      ['renderer', "the app's renderer (its page and workers)"],
      ['webui renderer', "the browser's top-chrome WebUI renderer (one per new context here)"],
      ['browser', 'the browser process'],
      ['network', 'the network service'],
      ['gpu', 'the GPU process'],
    ];
    const threadMs = (app: App, kind: ThreadKind) => median(cold[app].map((r) => r.cpuByThread.get(kind) ?? 0)).toFixed(0);
    const THREADS: [ThreadKind, string][] = [
      ['main thread', "the page's main thread"],
      ['workers', 'its workers (wasm pthreads included)'],
      ['thread pool', "the thread pool (V8's background compilation of JavaScript and wasm, garbage collection)"],
      ['other', 'other threads (IO, compositor)'],
    ];
    const cpuRows = KINDS.map(([kind, label]) => `| CPU, of which ${label} | ${kindMs('agedist', kind)} ms | ${kindMs('human', kind)} ms | |`)
      .concat(THREADS.map(([kind, label]) => `| … the app's renderer: ${label} | ${threadMs('agedist', kind)} ms | ${threadMs('human', kind)} ms | |`))
      .join('\n');
    const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
    console.log(`### agedist vs @vladmandic/human ${humanVersion} (${new Date().toISOString().slice(0, 10)})

Machine: ${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}.
Browser: headless Chromium ${browser.version()}, one browser for both, each app in its own context; both pages cross-origin isolated (COOP/COEP); service workers blocked unless stated.
agedist: production build (lab.html), ${runtime.agedist}, pipeline in a worker, ${OPTIONS.ensemble ? `ensemble ${OPTIONS.ensemble}` : 'the default ensemble'}.
Human ${humanVersion} (human-models ${HUMAN_MODELS_VERSION}): dist/human.esm.js on the page's main thread, ${runtime.human}.
wasm binaries fetched on a first visit: agedist ${wasmFiles('agedist')}; Human ${wasmFiles('human')}.

Human's configuration (merged over its defaults):

\`\`\`json
${JSON.stringify(HUMAN_CONFIG, null, 2)}
\`\`\`

#### Per photo, warm (median of ${ROUNDS} alternating rounds; ms)

From the photo's bytes in the page to its ages, timed in the page; both include the same
createImageBitmap decode (${decodeMs.toFixed(0)} ms for a 1920 px sample photo). One warm-up call per app on
one-face.jpg and sample1.jpg first, then the rounds once the browser is idle (agedist's page warms
itself while idle after loading, and that must not overlap Human's calls). Ratio: agedist / Human (above 1: agedist slower). Ages: the last round's.

| photo | faces agedist / Human | agedist | Human | ratio | ages agedist | ages Human |
|---|---|---|---|---|---|---|
${rows.join('\n')}

Each round (agedist / Human, ms; rounds alternate which app goes first):

${roundHeader}
${roundRows.join('\n')}

#### Per face (median over photos of photo time / faces found; ms)

| photos | agedist | Human | ratio |
|---|---|---|---|
${faceRow('one-face.jpg (560 px)', ['one-face.jpg'])}
${faceRow('sample1-6 (1920 px groups)', groups)}

#### Cold start and bytes on the wire (fresh context, empty cache${OPTIONS.settle ? ', navigated once the browser was idle after opening it (--settle)' : ''}; median of ${ROUNDS})

Navigation to the first estimate on ${COLD_PHOTO}. CPU: user + system time of all the browser's
processes over that span (/proc), and that over the wall time: the cores kept busy (${os.cpus().length} here);
then by process, and the app's renderer by thread (medians of each). Bytes: response
bodies counted at the local server that serves both apps (workers' requests included), no compression
on either side.

| | agedist | Human | ratio |
|---|---|---|---|
| cold start to first estimate | ${c('agedist', 'ms')} ms | ${c('human', 'ms')} ms | ${ratio(c('agedist', 'ms'), c('human', 'ms'))} |
| CPU time of the browser meanwhile | ${c('agedist', 'cpuMs').toFixed(0)} ms (${cores('agedist').toFixed(2)} cores) | ${c('human', 'cpuMs').toFixed(0)} ms (${cores('human').toFixed(2)} cores) | ${ratio(c('agedist', 'cpuMs'), c('human', 'cpuMs'))} |
${cpuRows}
| bytes, first visit (service workers blocked) | ${mib(c('agedist', 'bytes'))} (${c('agedist', 'requests')} requests) | ${mib(c('human', 'bytes'))} (${c('human', 'requests')} requests) | ${ratio(c('agedist', 'bytes'), c('human', 'bytes'))} |
| bytes, first visit, agedist's service worker allowed (main page; it precaches the app for offline use) | ${mib(swBytes.bytes)} (${swBytes.requests} requests) | — | ${ratio(swBytes.bytes, c('human', 'bytes'))} |

#### The cold start's floors (same rounds, alternating with the two apps)

What any app needs before its first estimate on ${COLD_PHOTO}, measured like the two apps
(scripts/peer/floor.ts): MediaPipe's FaceLandmarker alone, loaded as agedist loads it (its
self-hosted wasm and model, CPU delegate, in a module worker) and run once on the photo (no
alignment, no age networks, no tfjs); the same with MediaPipe's FaceDetector (boxes only); a page
that only compiles tasks-vision's wasm (streaming, in a module worker; no instance, no graph) and
decodes the photo; the other half, agedist's two age networks alone (the default ensemble's
members loaded in two of agedist's member workers, the build's own script, and each run on a blank
crop after the photo is decoded; no face finding, no MediaPipe); and a blank page that only decodes
the photo (a new context, a navigation).
Ratio: to Human's cold start.

| page | cold start to its result | CPU of the browser meanwhile | of which its renderer | faces | ratio to Human |
|---|---|---|---|---|---|
${FLOORS.map((f) => `| ${FLOOR_LABELS[f]} | ${c(f, 'ms')} ms | ${c(f, 'cpuMs').toFixed(0)} ms (${cores(f).toFixed(2)} cores) | ${kindMs(f, 'renderer')} ms | ${c(f, 'faces')} | ${ratio(c(f, 'ms'), c('human', 'ms'))} |`).join('\n')}
| issue 10's target, 0.6× Human's cold start | ${(0.6 * c('human', 'ms')).toFixed(0)} ms | | | | 0.60× |`);
  } finally {
    await server.close();
    await served.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
