import { expect, test } from '@playwright/test';

test('a model that cannot be downloaded gives a clear message instead of a broken page', async ({ page }) => {
  // Every member's weight file is missing (whichever members the default ensemble has).
  await page.context().route('**/models/**/*.bin', (route) => route.fulfill({ status: 404, body: 'gone' }));
  await page.goto('/?backend=wasm');
  const banner = page.getByTestId('fatal-error');
  await expect(banner).toContainText('The age estimator could not start');
  await expect(banner).toContainText(/The age models could not be loaded \(model .+ could not be loaded/);
  // The rest of the page is still there and says why it cannot be used.
  await expect(page.getByTestId('photo-drop')).toHaveAttribute('aria-disabled', 'true');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
});

test('a corrupt ensemble manifest names the bad field', async ({ page }) => {
  await page.context().route('**/models/ensemble.json', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: '{"name":"x","members":[{"path":"a","weight":-1}]}' }));
  await page.goto('/?backend=wasm');
  await expect(page.getByTestId('fatal-error')).toContainText('weight');
});
