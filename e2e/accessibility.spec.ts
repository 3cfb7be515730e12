// axe-core's WCAG checks (names, roles, contrast, landmarks) on the app's states a visitor meets
// with photos, and on the training page. The webcam states are checked in live.spec.ts.
import { expect, test } from '@playwright/test';
import { accessibilityViolations, dropFiles, facesOf, fixture, jpeg, openApp } from './app';

test('the photo page has no accessibility violations: ready, with photos and a face chosen', async ({ page }) => {
  await openApp(page);
  expect(await accessibilityViolations(page)).toEqual([]);
  await dropFiles(page, [jpeg('sample1.jpg'), { name: 'no-face.png', path: fixture('no-face.png'), mimeType: 'image/png' }]);
  expect(await facesOf(page, 'sample1.jpg')).toHaveLength(3);
  await expect(page.getByTestId('photo').filter({ hasText: 'no-face.png' })).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
  await page.getByTestId('photo').getByTestId('face').first().click();
  await expect(page.getByTestId('age-chart')).toBeVisible();
  expect(await accessibilityViolations(page)).toEqual([]);
});

test('the training page has no accessibility violations', async ({ page }) => {
  await openApp(page, '?backend=wasm', '/train.html', 'train-settings');
  expect(await accessibilityViolations(page)).toEqual([]);
});
