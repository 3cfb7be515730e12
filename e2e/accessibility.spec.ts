// axe-core's WCAG checks (names, roles, contrast, landmarks) on the app's states a visitor meets
// with photos, and on the training page (the webcam states are checked in live.spec.ts); the
// keyboard alone; and the chart's motion with the system's reduced-motion setting.
import { expect, test, type Locator, type Page } from '@playwright/test';
import { accessibilityViolations, dropFiles, facesOf, fixture, jpeg, openApp } from './app';

test('the photo page has no accessibility violations: ready, with photos and a face chosen', async ({ page }) => {
  await openApp(page);
  expect(await accessibilityViolations(page)).toEqual([]);
  await dropFiles(page, [jpeg('sample1.jpg'), { name: 'no-face.png', path: fixture('no-face.png'), mimeType: 'image/png' }]);
  expect(await facesOf(page, 'sample1.jpg')).toHaveLength(3);
  expect(await facesOf(page, 'no-face.png')).toHaveLength(0);
  await page.getByTestId('photo').getByTestId('face').first().click();
  await expect(page.getByTestId('age-chart')).toBeVisible();
  expect(await accessibilityViolations(page)).toEqual([]);
});

test('the training page has no accessibility violations', async ({ page }) => {
  await openApp(page, '?backend=wasm', '/train.html', 'train-settings');
  expect(await accessibilityViolations(page)).toEqual([]);
});

/** Presses Tab (at most 10 times) until `target` has the focus, and checks that it has. */
async function tabTo(page: Page, target: Locator): Promise<void> {
  for (let i = 0; i < 10 && !(await target.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
  await expect(target).toBeFocused();
}

test('keyboard only: the drop zone opens the file chooser, Tab reaches each face, Enter shows its chart', async ({ page }) => {
  await openApp(page);
  const drop = page.getByTestId('photo-drop');
  await tabTo(page, drop); // the header's controls come first
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.keyboard.press('Enter')]);
  await chooser.setFiles(fixture('sample1.jpg'));
  const ages = await facesOf(page, 'sample1.jpg');
  expect(ages).toHaveLength(3);
  const faces = page.getByTestId('photo').getByTestId('face');
  await tabTo(page, faces.nth(1));
  await page.keyboard.press('Enter');
  await expect(faces.nth(1)).toHaveClass(/selected/);
  await expect(page.getByTestId('age-chart')).toHaveAttribute('data-age', ages[1].toFixed(2));
});

/**
 * Chooses face `index` of the first photo in the page and reports whether the chart's redraw
 * moves: the canvas is read as soon as the chart has taken the new face and again two frames
 * later (Chart.js animates a photo's chart for a second unless told not to).
 */
function redrawMoves(page: Page, index: number): Promise<boolean> {
  return page.evaluate(async (i) => {
    const chart = document.querySelector('[data-testid=age-chart]')!;
    const canvas = chart.querySelector('canvas')!;
    const updated = new Promise<void>((resolve) =>
      new MutationObserver((_, observer) => {
        observer.disconnect();
        resolve();
      }).observe(chart, { attributes: true, attributeFilter: ['data-updates'] }),
    );
    // The faces are SVG shapes, which have no click().
    document.querySelectorAll('[data-testid=photo] [data-testid=face]')[i].dispatchEvent(new MouseEvent('click', { bubbles: true }));
    await updated;
    const first = canvas.toDataURL();
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    return canvas.toDataURL() !== first;
  }, index);
}

test('the chart animates a new face unless the system asks for reduced motion', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await openApp(page);
  await dropFiles(page, [jpeg('sample1.jpg')]);
  expect(await facesOf(page, 'sample1.jpg')).toHaveLength(3);
  await page.getByTestId('photo').getByTestId('face').first().click();
  await expect(page.getByTestId('age-chart')).toHaveAttribute('data-updates', /[1-9]/);
  expect(await redrawMoves(page, 1)).toBe(false);
  await page.emulateMedia({ reducedMotion: 'no-preference' });
  expect(await redrawMoves(page, 2)).toBe(true);
});
