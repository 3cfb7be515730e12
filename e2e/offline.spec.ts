/**
 * Offline: after one visit the service worker has precached the app, its wasm, MediaPipe and the
 * default ensemble, and the page works with no network at all, reload included. The test serves
 * the build from a `vite preview` of its own so it can take the server down: once it is gone,
 * anything not served by the service worker fails, whether or not setOffline reaches it.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { dropFiles, facesOf, jpeg, openApp } from './app';
import { freePort } from '../scripts/freePort';

test.use({ serviceWorkers: 'allow' });

const ROOT = fileURLToPath(new URL('../', import.meta.url));


/** `vite preview` of the dist/ that playwright.config.ts's web server built, on a free port. */
async function startPreview(): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const child = spawn(process.execPath, [`${ROOT}node_modules/vite/bin/vite.js`, 'preview', '--port', String(port), '--strictPort'], { cwd: ROOT, stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill();
    await exited;
  };
  await expect
    .poll(async () => {
      if (child.exitCode !== null) throw new Error(`vite preview exited with ${child.exitCode}`);
      return fetch(url).then((response) => response.status, () => 0);
    }, { timeout: 60_000 })
    .toBe(200);
  return { url, stop };
}

/** Paths of the default ensemble's files, as public/models/ensemble.json names them. */
function defaultMemberFolders(): string[] {
  const ensemble = JSON.parse(readFileSync(`${ROOT}public/models/ensemble.json`, 'utf8')) as { members: { path: string }[] };
  return ensemble.members.map((member) => `/${posix.dirname(posix.join('models', member.path))}/`);
}

test('after one visit the page works with the network off, reload included', async ({ page, context }) => {
  test.setTimeout(360_000);
  const server = await startPreview();
  try {
    const foreign = await openApp(page, '?backend=wasm', server.url);

    // First visit: the service worker installs, precaches, and the page says it works offline now.
    await expect(page.getByTestId('offline-ready')).toBeVisible({ timeout: 120_000 });
    const cached = await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      const paths: string[] = [];
      for (const name of await caches.keys()) {
        for (const request of await (await caches.open(name)).keys()) paths.push(new URL(request.url).pathname);
      }
      return paths;
    });
    const folders = defaultMemberFolders();
    expect(folders.length).toBeGreaterThan(0);
    expect(cached).toEqual(expect.arrayContaining([
      '/index.html',
      '/manifest.webmanifest',
      '/models/ensemble.json',
      // The Models menu's mirrored choice: the default's members under another manifest.
      '/models/ensembles/default-mirror.json',
      '/mediapipe/face_landmarker.task',
      '/mediapipe/wasm/vision_wasm_module_internal.js',
      '/mediapipe/wasm/vision_wasm_module_internal.wasm',
      ...folders.flatMap((folder) => [`${folder}member.json`, `${folder}model.json`]),
    ]));
    for (const folder of folders) expect(cached.filter((path) => path.startsWith(folder) && path.endsWith('.bin')).length, folder).toBeGreaterThan(0);
    expect(cached.some((path) => /^\/assets\/tfjs-backend-wasm-simd-[^/]+\.wasm$/.test(path))).toBe(true);
    // Only the default ensemble's members: the other model folders are left to the network.
    const manifests = ['/models/ensemble.json', '/models/ensembles/default-mirror.json'];
    expect(cached.filter((path) => path.startsWith('/models/') && !manifests.includes(path) && !folders.some((folder) => path.startsWith(folder)))).toEqual([]);

    // No network: the browser is offline and the server is gone.
    await context.setOffline(true);
    await server.stop();
    await expect(fetch(server.url)).rejects.toThrow();

    const fromNetwork: string[] = [];
    context.on('response', (response) => {
      if (!response.fromServiceWorker() && response.url().startsWith('http')) fromNetwork.push(response.url());
    });
    await page.reload();
    await expect(page.getByTestId('backend')).toBeVisible({ timeout: 120_000 });
    // Served by the service worker, with the headers it was cached with: still cross-origin isolated.
    expect(await page.evaluate(() => ({ controlled: navigator.serviceWorker.controller !== null, isolated: crossOriginIsolated }))).toEqual({ controlled: true, isolated: true });
    await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'wasm');

    await dropFiles(page, [jpeg('one-face.jpg')]);
    const ages = await facesOf(page, 'one-face.jpg');
    expect(ages).toHaveLength(1);
    expect(ages[0]).toBeGreaterThan(10);
    expect(ages[0]).toBeLessThan(70);
    // A group photo needs the full-range face detector, which is not precached and was never
    // fetched here: the search falls back to tiles and finds the same faces.
    expect(cached.some((path) => path.startsWith('/mediapipe/face_detector'))).toBe(false);
    await dropFiles(page, [jpeg('sample2.jpg')]);
    expect(await facesOf(page, 'sample2.jpg')).toHaveLength(3);
    await page.getByTestId('photo').filter({ hasText: 'sample2.jpg' }).getByRole('button', { name: /Remove/ }).click();
    // The mirrored choice needs nothing more than its manifest: it works offline too.
    await page.getByTestId('ensemble-select').selectOption('default-mirror');
    await expect(page.getByTestId('backend')).toHaveAttribute('data-ensemble', /mirrored/, { timeout: 120_000 });
    await page.getByTestId('photo').getByRole('button', { name: /Remove/ }).click();
    await dropFiles(page, [jpeg('one-face.jpg')]);
    expect(await facesOf(page, 'one-face.jpg')).toHaveLength(1);
    await expect(page.getByTestId('fatal-error')).toHaveCount(0);
    // The Accurate choice downloads two more members when chosen, so offline it says so and the
    // default is one choice away.
    await page.getByTestId('ensemble-select').selectOption('accurate');
    await expect(page.getByTestId('fatal-error')).toContainText(/could not be loaded.*Choose the default models/, { timeout: 120_000 });
    await page.getByTestId('ensemble-select').selectOption('default');
    await expect(page.getByTestId('backend')).toBeVisible({ timeout: 120_000 });
    await expect(page.getByTestId('fatal-error')).toHaveCount(0);
    expect(fromNetwork).toEqual([]);
    expect(foreign).toEqual([]);
  } finally {
    await server.stop();
  }
});
