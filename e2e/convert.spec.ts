/** A MatConvNet model converted by `npm run convert` is used as an ensemble member on the main page. */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { zipSync } from 'fflate';
import { dropFiles, facesOf, fixture, jpeg, openApp } from './app';

let zipPath = '';

test.beforeAll(() => {
  const out = join(test.info().project.outputDir, 'converted', 'tiny-age');
  execFileSync('npx', ['tsx', 'scripts/convert.ts', 'src/convert/fixtures/tiny-age.mat', '--out', out, '--name', 'Tiny converted net'], { stdio: 'pipe' });
  const files: Record<string, Uint8Array> = Object.fromEntries(readdirSync(out).map((f) => [`tiny-age/${f}`, new Uint8Array(readFileSync(join(out, f)))]));
  files['ensemble.json'] = new TextEncoder().encode(JSON.stringify({ name: 'Converted MatConvNet', members: [{ path: 'tiny-age/member.json', weight: 1 }] }));
  zipPath = join(out, '..', 'converted.zip');
  writeFileSync(zipPath, zipSync(files));
});

for (const backend of ['wasm', 'webgpu']) {
  test(`a converted MatConvNet member gives estimates on the main page (${backend})`, async ({ page }) => {
    test.setTimeout(300_000);
    const foreign = await openApp(page, `?backend=${backend}`);
    await page.getByTestId('ensemble-import').setInputFiles(zipPath);
    await expect(page.getByTestId('backend')).toHaveAttribute('data-ensemble', 'Converted MatConvNet', { timeout: 120_000 });
    await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', backend);
    await dropFiles(page, [jpeg('one-face.jpg')]);
    const ages = await facesOf(page, 'one-face.jpg');
    expect(ages).toHaveLength(1);
    expect(ages[0]).toBeGreaterThanOrEqual(0);
    expect(ages[0]).toBeLessThanOrEqual(100);
    expect(foreign).toEqual([]);
  });
}

test('the training page fine-tunes a converted MatConvNet member (heads only, 2 epochs)', async ({ page }) => {
  test.setTimeout(300_000);
  await openApp(page, '?backend=wasm');
  await page.getByTestId('ensemble-import').setInputFiles(zipPath);
  await expect(page.getByTestId('backend')).toHaveAttribute('data-ensemble', 'Converted MatConvNet', { timeout: 120_000 });
  // The training page starts from the ensemble chosen on the main page.
  await page.goto('/train.html?backend=wasm');
  await expect(page.getByTestId('train-backend')).toContainText('Converted MatConvNet', { timeout: 120_000 });
  await expect(page.getByTestId('member-tiny-age')).toBeEnabled();
  await page.getByTestId('dataset-folder').setInputFiles(fixture('train-set'));
  await expect(page.getByTestId('preprocess-progress')).toHaveAttribute('value', '12', { timeout: 120_000 });
  await page.getByTestId('train-epochs').fill('2');
  await page.getByTestId('train-batch').fill('4');
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('results')).toBeVisible({ timeout: 180_000 });
  await expect(page.getByTestId('train-error')).toHaveCount(0);
  const epochs = JSON.parse((await page.getByTestId('metric-chart').getAttribute('data-epochs'))!) as { member: string; trainKl: number }[];
  expect(epochs.map((e) => e.member)).toEqual(['tiny-age', 'tiny-age']);
  expect(epochs[1].trainKl).toBeLessThan(epochs[0].trainKl);
});
