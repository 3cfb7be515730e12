import { expect, test } from '@playwright/test';
import { isSoftwareRenderer } from '../src/runtime/backendChoice';
import { dropFiles, facesOf, jpeg, openApp } from './app';

// WebGPU here is SwiftShader (software), so one small photo keeps the test short.
test('?backend=webgpu runs on the software adapter and agrees with wasm within 0.5 years', async ({ page }) => {
  test.setTimeout(600_000);
  await openApp(page, '?backend=wasm');
  await dropFiles(page, [jpeg('one-face.jpg')]);
  const wasm = await facesOf(page, 'one-face.jpg');

  const foreign = await openApp(page, '?backend=webgpu');
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', 'webgpu');
  await dropFiles(page, [jpeg('one-face.jpg')]);
  const webgpu = await facesOf(page, 'one-face.jpg');

  expect(webgpu).toHaveLength(wasm.length);
  expect(wasm.length).toBe(1);
  expect(Math.abs(webgpu[0] - wasm[0])).toBeLessThanOrEqual(0.5);
  expect(foreign).toEqual([]);
});

test('with no ?backend= the app does not pick the software WebGPU adapter, nor time a software WebGL against wasm', async ({ page }) => {
  await openApp(page, '');
  const badge = page.getByTestId('backend');
  await expect(badge).not.toHaveAttribute('data-backend', 'webgpu');
  await expect(badge).toHaveAttribute('title', /software|no WebGPU/);
  // What this browser's WebGL renders with decides the rest: on a machine without a GPU (CI) it
  // is SwiftShader, and the page then runs on wasm without measuring the two.
  const renderer = await page.evaluate(() => {
    const gl = document.createElement('canvas').getContext('webgl');
    const info = gl?.getExtension('WEBGL_debug_renderer_info');
    return gl && info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : '';
  });
  if (isSoftwareRenderer(renderer)) {
    await expect(badge).toHaveAttribute('data-backend', 'wasm');
    await expect(badge).toHaveAttribute('title', /WebGL renders in software/);
    await expect(badge).not.toHaveAttribute('title', /measured/);
  }
});
