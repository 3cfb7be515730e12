/** The hidden training page: dataset in, faces aligned, a short run, save, use on the main page, export and import. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { zipSync } from 'fflate';
import { dropFiles, facesOf, fixture, openApp } from './app';

const SET = fixture('train-set');
const setFiles = () => ({ 'labels.csv': readFileSync(join(SET, 'labels.csv')), ...Object.fromEntries(readdirSync(join(SET, 'faces')).map((f) => [`faces/${f}`, readFileSync(join(SET, 'faces', f))])) });

async function openTrainPage(page: Page) {
  const foreign = await openApp(page, '?backend=wasm', '/train.html', 'train-settings');
  await expect(page.getByTestId('train-backend')).toHaveAttribute('data-backend', 'wasm', { timeout: 120_000 });
  return foreign;
}

async function waitPreprocessed(page: Page, total: number) {
  await expect(page.getByTestId('preprocess-progress')).toHaveAttribute('value', String(total), { timeout: 120_000 });
  await expect(page.getByTestId('train-start')).toBeEnabled({ timeout: 60_000 });
}

async function train(page: Page, epochs: number, batch = 4) {
  await page.getByTestId('train-epochs').fill(String(epochs));
  await page.getByTestId('train-batch').fill(String(batch));
  await page.getByTestId('train-start').click();
}

test('a folder trains for 2 epochs with live charts; the saved ensemble changes the main page’s estimate; its zip imports back with the same estimates', async ({ page }) => {
  test.setTimeout(600_000);
  const foreign = await openTrainPage(page);
  await page.getByTestId('dataset-folder').setInputFiles(SET);
  await expect(page.getByTestId('dataset-summary')).toContainText('8 train, 4 valid');
  await waitPreprocessed(page, 12);
  await expect(page.getByTestId('thumbs').locator('img')).toHaveCount(12);

  // The page's thread only draws: no task on it may take 100 ms or more while training runs.
  await page.evaluate(() => {
    const w = window as unknown as { longestTask: number };
    w.longestTask = 0;
    new PerformanceObserver((list) => list.getEntries().forEach((e) => (w.longestTask = Math.max(w.longestTask, e.duration)))).observe({ type: 'longtask' });
  });
  await train(page, 2);
  await expect(page.getByTestId('loss-chart')).not.toHaveAttribute('data-points', '0', { timeout: 120_000 });
  await expect(page.getByTestId('results')).toBeVisible({ timeout: 300_000 });
  expect(await page.evaluate(() => (window as unknown as { longestTask: number }).longestTask)).toBeLessThan(100);
  const epochs = JSON.parse((await page.getByTestId('metric-chart').getAttribute('data-epochs'))!) as { member: string; epoch: number; trainKl: number }[];
  const members = [...new Set(epochs.map((e) => e.member))];
  expect(members.length).toBeGreaterThan(0);
  for (const m of members) {
    const [first, second] = epochs.filter((e) => e.member === m);
    expect(second.trainKl).toBeLessThan(first.trainKl);
  }

  await page.getByTestId('save-name').fill('e2e set');
  await page.getByTestId('save').click();
  await expect(page.getByTestId('saved')).toBeVisible();
  const download = page.waitForEvent('download');
  await page.getByTestId('export').click();
  const zipPath = test.info().outputPath('e2e-set.zip');
  await (await download).saveAs(zipPath);

  // Main page: the default estimate, then the saved ensemble's, then the imported zip's (same photo, named apart).
  await openApp(page);
  const estimate = async (name: string) => {
    await dropFiles(page, [{ name, path: fixture('one-face.jpg'), mimeType: 'image/jpeg' }]);
    await facesOf(page, name);
    return Number(await page.getByTestId('photo').filter({ hasText: name }).getByTestId('face').first().getAttribute('data-age-exact'));
  };
  const byDefault = await estimate('default.jpg');

  await page.getByTestId('ensemble-select').selectOption('e2e set');
  await expect(page.getByTestId('backend')).toHaveAttribute('data-ensemble', 'e2e set', { timeout: 120_000 });
  const bySaved = await estimate('saved.jpg');
  expect(Math.abs(bySaved - byDefault)).toBeGreaterThan(1e-3);

  await page.getByTestId('ensemble-import').setInputFiles(zipPath);
  await expect(page.getByTestId('ensemble-select')).toHaveValue('e2e set (2)');
  await expect(page.getByTestId('backend')).toHaveAttribute('data-ensemble', 'e2e set', { timeout: 120_000 });
  const byImported = await estimate('imported.jpg');
  expect(Math.abs(byImported - bySaved)).toBeLessThan(1e-4);
  expect(foreign).toEqual([]);
});

test('a zip with broken rows and a non-image file gives a visible report and the good rows train (heads + blocks); cancel leaves the page usable and a reload offers to resume', async ({ page }) => {
  test.setTimeout(400_000);
  await openTrainPage(page);
  const files = setFiles();
  const csv = readFileSync(join(SET, 'labels.csv'), 'utf8') + 'faces/nobody.jpg,30,3,train\nfaces/face01.jpg,old,3,train\nfaces/broken.jpg,40,3,train\n';
  const zip = zipSync({ ...files, 'labels.csv': new TextEncoder().encode(csv), 'faces/broken.jpg': new TextEncoder().encode('not a jpeg'), 'notes.txt': new TextEncoder().encode('hello') });
  await dropFiles(page, [{ name: 'set.zip', bytes: Buffer.from(zip), mimeType: 'application/zip' }], 'dataset-drop');
  await waitPreprocessed(page, 13);
  const report = page.getByTestId('dataset-report');
  await expect(report).toContainText('notes.txt');
  await expect(report).toContainText('nobody.jpg');
  await expect(report).toContainText('line 15');
  await expect(report).toContainText('not an image that can be read');
  await expect(page.getByTestId('thumbs').locator('img')).toHaveCount(12);

  await page.getByTestId('train-what').selectOption('blocks');
  await train(page, 50, 4);
  // Cancel in the middle of the second epoch: the first one left a checkpoint.
  await expect(page.getByTestId('metric-chart')).toHaveAttribute('data-points', '1', { timeout: 180_000 });
  await expect(page.getByTestId('train-status')).toContainText('epoch 2');
  await page.getByTestId('train-cancel').click();
  await expect(page.getByTestId('results')).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId('train-status')).toContainText('Cancelled');
  await expect(page.getByTestId('train-start')).toBeEnabled();

  await page.reload();
  await expect(page.getByTestId('resume-banner')).toContainText('12 faces', { timeout: 120_000 });
  await page.getByTestId('train-resume').click();
  await expect(page.getByTestId('train-status')).toContainText(/Resuming|epoch/);
  await expect(page.getByTestId('train-error')).toHaveCount(0);
  await expect(page.getByTestId('train-cancel')).toBeEnabled();
  await page.getByTestId('train-cancel').click();
  await expect(page.getByTestId('results')).toBeVisible({ timeout: 120_000 });
});

// WebGPU here is SwiftShader (software, ~50× slower than wasm): 4 faces, one member, one epoch.
test('training runs on WebGPU (software adapter): 4 faces, heads only, one epoch', async ({ page }) => {
  test.setTimeout(600_000);
  const foreign = await openApp(page, '?backend=webgpu', '/train.html', 'train-settings');
  await expect(page.getByTestId('train-backend')).toHaveAttribute('data-backend', 'webgpu', { timeout: 180_000 });
  const faces = ['face01.jpg', 'face02.jpg', 'face04.jpg', 'face03.jpg'];
  const csv = 'file,age_mean,age_std,split\nface01.jpg,27,3,train\nface02.jpg,34,4,train\nface04.jpg,48,2,train\nface03.jpg,41,5,valid\n';
  await dropFiles(page, [{ name: 'labels.csv', bytes: Buffer.from(csv), mimeType: 'text/csv' }, ...faces.map((f) => ({ name: f, path: join(SET, 'faces', f), mimeType: 'image/jpeg' }))], 'dataset-drop');
  await waitPreprocessed(page, 4);
  // One member only: uncheck the first (the default ensemble has two).
  await page.getByTestId('train-settings').locator('fieldset input[type=checkbox]').first().uncheck();
  await train(page, 1, 4);
  await expect(page.getByTestId('results')).toBeVisible({ timeout: 480_000 });
  await expect(page.getByTestId('train-error')).toHaveCount(0);
  await expect(page.getByTestId('throughput')).toContainText('on webgpu');
  expect(foreign).toEqual([]);
});

test('the training page is reachable at /train and by Alt+Shift+T from the main page', async ({ page }) => {
  await page.goto('/train?backend=wasm');
  await expect(page).toHaveTitle(/training/);
  await openApp(page);
  await page.keyboard.press('Alt+Shift+T');
  await expect(page).toHaveURL(/train\.html/);
  await expect(page.getByTestId('train-settings')).toBeVisible();
});
