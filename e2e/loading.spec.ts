import { expect, test } from '@playwright/test';
import { fixture, openApp } from './app';

test('a photo picked while the models still download is estimated once they are ready', async ({ page }) => {
  // Hold every model weight download until the photo has been picked.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let waiting = 0;
  await page.context().route(/\/models\/.*\.bin$/, async (route) => {
    waiting += 1;
    await held;
    await route.continue();
  });
  const foreign = await openApp(page, '?backend=wasm', '/', 'loading');
  await expect.poll(() => waiting, { timeout: 120_000 }).toBeGreaterThan(0);

  await page.getByTestId('photo-input').setInputFiles(fixture('one-face.jpg'));
  const card = page.getByTestId('photo').filter({ hasText: 'one-face.jpg' });
  await expect(card).toHaveAttribute('data-status', 'queued');
  await expect(card).toContainText('Waiting for the models to finish loading');
  await expect(page.getByTestId('drop-loading')).toContainText('estimated as soon as the models are ready');
  await expect(page.getByTestId('backend')).toHaveCount(0);

  release();
  await expect(card).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
  await expect(card.getByTestId('face')).toHaveCount(1);
  await expect(card.getByTestId('face')).toHaveAttribute('aria-label', /≈ \d+ \(±\d+\)/);
  // The result is also announced for screen readers.
  await expect(page.getByTestId('announcer')).toContainText(/one-face\.jpg: 1 face\. Face 1: about \d+, likely \d+ to \d+/);
  expect(foreign).toEqual([]);
});

test('the header keeps its height from the first loading message to ready, so nothing jumps under the pointer', async ({ page }) => {
  // Hold tfjs's wasm so that the longest loading message stays up ("Choosing the fastest compute
  // backend…"); the default 1280 px wide window.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.context().route(/tfjs-backend-wasm.*\.wasm$/, async (route) => {
    await held;
    await route.continue();
  });
  await openApp(page, '?backend=wasm', '/', 'loading');
  const mainTop = () => page.locator('main').evaluate((main) => Math.round(main.getBoundingClientRect().top));
  await expect(page.getByTestId('loading')).toContainText('Choosing the fastest compute backend');
  const topWhileLoading = await mainTop();
  release();
  await expect(page.getByTestId('backend')).toBeVisible({ timeout: 120_000 });
  expect(await mainTop()).toBe(topWhileLoading);
});
