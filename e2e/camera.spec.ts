import { expect, test } from '@playwright/test';
import { accessibilityViolations, openApp } from './app';

// Runs in the "camera" project: Chromium's fake camera plays e2e/.generated/camera-v2.y4m (global-setup.ts).
test('the webcam shows the face with its age and a chart that keeps updating', async ({ page }) => {
  const foreign = await openApp(page);
  await page.getByTestId('camera-start').click();
  const overlayFace = page.getByTestId('camera').getByTestId('face');
  await expect(overlayFace).toHaveCount(1, { timeout: 60_000 });
  await expect(overlayFace).toHaveAttribute('aria-label', /≈ \d+ \(±\d+\)/);

  const panel = page.getByTestId('age-chart');
  await expect(panel).toBeVisible();
  const first = Number(await panel.getAttribute('data-updates'));
  await expect.poll(async () => Number(await panel.getAttribute('data-updates')), { timeout: 60_000 }).toBeGreaterThan(first + 2);
  // The clip moves the face, so the live estimate itself changes, not only the redraw count.
  const seen = new Set<string>();
  await expect
    .poll(async () => {
      seen.add((await panel.getAttribute('data-age')) ?? '');
      return seen.size;
    }, { timeout: 60_000 })
    .toBeGreaterThan(1);

  await page.getByTestId('camera-stop').click();
  await expect(page.getByTestId('camera-start')).toBeVisible();
  expect(foreign).toEqual([]);
});

test('a denied camera explains what to do and leaves photos working', async ({ browser }) => {
  const context = await browser.newContext({ permissions: [] });
  const page = await context.newPage();
  await page.addInitScript(() => {
    navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
  });
  await openApp(page);
  await page.getByTestId('camera-start').click();
  await expect(page.getByTestId('notices')).toContainText('Camera access was denied');
  await expect(page.getByTestId('camera-start')).toBeEnabled();
  expect(await accessibilityViolations(page)).toEqual([]);
  await context.close();
});
