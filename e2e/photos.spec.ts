import { expect, test } from '@playwright/test';
import { dropFiles, facesOf, fixture, jpeg, openApp } from './app';
import { EXIF_ROTATED_JPEG } from './paths';

test('on a phone-sized screen photos can be picked with the file chooser, and the page fits the screen', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 780 });
  await openApp(page);
  await page.getByTestId('photo-input').setInputFiles([fixture('one-face.jpg')]);
  expect(await facesOf(page, 'one-face.jpg')).toHaveLength(1);
  await expect(page.getByTestId('age-chart')).toBeVisible();
  // Nothing wider than the screen: no sideways scrolling to reach the photo, its buttons or the chart.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
});

test('a dropped photo with three people gets three faces, plausible ages and a chart each', async ({ page }) => {
  const foreign = await openApp(page);
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'wasm');
  await dropFiles(page, [jpeg('sample1.jpg')]);
  const ages = await facesOf(page, 'sample1.jpg');
  expect(ages).toHaveLength(3);
  for (const age of ages) {
    expect(age).toBeGreaterThanOrEqual(10);
    expect(age).toBeLessThanOrEqual(60);
  }
  const faces = page.getByTestId('photo').getByTestId('face');
  for (let i = 0; i < 3; i++) {
    await faces.nth(i).click();
    const chart = page.getByTestId('age-chart');
    await expect(chart).toBeVisible();
    await expect(chart).toHaveAttribute('data-age', ages[i].toFixed(2));
    await expect(faces.nth(i)).toHaveClass(/selected/);
  }
  // The label is "≈ age (±std)".
  await expect(faces.first()).toHaveAttribute('aria-label', /≈ \d+ \(±\d+\)/);
  // For a projector: the chart panel alone goes full screen, and comes back.
  const panel = page.getByTestId('chart-panel');
  await panel.getByRole('button', { name: 'Big screen' }).click();
  await expect.poll(() => page.evaluate(() => document.fullscreenElement?.getAttribute('data-testid'))).toBe('chart-panel');
  await expect(panel.getByTestId('age-chart')).toBeVisible();
  await panel.getByRole('button', { name: 'Exit big screen' }).click();
  await expect.poll(() => page.evaluate(() => document.fullscreenElement)).toBeNull();
  expect(foreign).toEqual([]);
});

test('photos dropped at once are listed in the order dropped, above earlier ones, and all analysed', async ({ page }) => {
  const foreign = await openApp(page);
  await dropFiles(page, [jpeg('one-face.jpg')]);
  expect(await facesOf(page, 'one-face.jpg')).toHaveLength(1);
  await dropFiles(page, [jpeg('sample2.jpg'), jpeg('sample3.jpg'), jpeg('sample4.jpg')]);
  const names = () => page.getByTestId('photo').locator('.name').allTextContents();
  await expect.poll(names).toEqual(['sample2.jpg', 'sample3.jpg', 'sample4.jpg', 'one-face.jpg']);
  for (const name of ['sample2.jpg', 'sample3.jpg', 'sample4.jpg']) expect((await facesOf(page, name)).length).toBeGreaterThan(0);
  expect(foreign).toEqual([]);
});

test('a corrupt image and a text file get clear messages and the page keeps working', async ({ page }) => {
  const foreign = await openApp(page);
  await dropFiles(page, [
    { name: 'broken.jpg', bytes: Buffer.from('this is not really a JPEG file'), mimeType: 'image/jpeg' },
    { name: 'notes.txt', bytes: Buffer.from('hello'), mimeType: 'text/plain' },
  ]);
  const broken = page.getByTestId('photo').filter({ hasText: 'broken.jpg' });
  await expect(broken).toHaveAttribute('data-status', 'failed');
  await expect(broken.getByRole('alert')).toContainText('is not an image that can be read');
  await expect(page.getByTestId('photo').filter({ hasText: 'notes.txt' }).getByRole('alert')).toContainText('JPEG, PNG or WebP');
  // Still works afterwards.
  await dropFiles(page, [jpeg('one-face.jpg')]);
  expect(await facesOf(page, 'one-face.jpg')).toHaveLength(1);
  await expect(page.getByTestId('fatal-error')).toHaveCount(0);
  expect(foreign).toEqual([]);
});

test('a photo without faces says so', async ({ page }) => {
  await openApp(page);
  // A test pattern: decodes fine, has no face.
  await dropFiles(page, [{ name: 'no-face.png', path: fixture('no-face.png'), mimeType: 'image/png' }]);
  const card = page.getByTestId('photo').filter({ hasText: 'no-face.png' });
  await expect(card).toHaveAttribute('data-status', 'done', { timeout: 120_000 });
  await expect(card).toContainText('No face found');
});

test('a phone photo stored sideways with an EXIF orientation tag is analysed upright', async ({ page }) => {
  await openApp(page);
  await dropFiles(page, [{ name: 'phone.jpg', path: EXIF_ROTATED_JPEG, mimeType: 'image/jpeg' }]);
  expect(await facesOf(page, 'phone.jpg')).toHaveLength(1);
  const card = page.getByTestId('photo').filter({ hasText: 'phone.jpg' });
  // Stored 400x560; upright it is 560 wide and 400 high, and the face boxes use those coordinates.
  await expect(card.locator('svg.face-overlay')).toHaveAttribute('viewBox', '0 0 560 400');
  expect(await card.locator('img').evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight])).toEqual([560, 400]);
});

test('the Models menu offers the mirrored default, which analyses photos and is remembered', async ({ page }) => {
  const foreign = await openApp(page);
  await dropFiles(page, [jpeg('one-face.jpg')]);
  const [plain] = await facesOf(page, 'one-face.jpg');
  await page.getByTestId('photo').getByRole('button', { name: /Remove/ }).click();
  await page.getByTestId('ensemble-select').selectOption('default-mirror');
  await expect(page.getByTestId('backend')).toHaveAttribute('data-ensemble', /mirrored/, { timeout: 120_000 });
  await dropFiles(page, [jpeg('one-face.jpg')]);
  const [mirrored] = await facesOf(page, 'one-face.jpg');
  // The same members on the face and its mirror image: close to, but not exactly, the plain estimate
  // (on this photo the two differ by about 5 years: 5.03 in a CI run, so the mirrored crop alone reads ~10 apart).
  expect(Math.abs(mirrored - plain)).toBeLessThan(6);
  expect(mirrored).not.toBe(plain);
  await page.reload();
  await expect(page.getByTestId('ensemble-select')).toHaveValue('default-mirror');
  expect(foreign).toEqual([]);
});

test('the Models menu offers the four-member Accurate choice, which loads its own members and analyses photos', async ({ page }) => {
  const foreign = await openApp(page);
  await dropFiles(page, [jpeg('one-face.jpg')]);
  const [plain] = await facesOf(page, 'one-face.jpg');
  await page.getByTestId('photo').getByRole('button', { name: /Remove/ }).click();
  await page.getByTestId('ensemble-select').selectOption('accurate');
  const badge = page.getByTestId('backend');
  await expect(badge).toHaveAttribute('data-ensemble', /^Accurate/, { timeout: 180_000 });
  await expect(badge).toContainText('4 models');
  await dropFiles(page, [jpeg('one-face.jpg')]);
  const [accurate] = await facesOf(page, 'one-face.jpg');
  // Two of its members are the default's; the other two see the face differently.
  expect(Math.abs(accurate - plain)).toBeLessThan(6);
  expect(accurate).not.toBe(plain);
  expect(foreign).toEqual([]);
});
