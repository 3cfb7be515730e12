/**
 * docs/conference.jpg: conference mode on the fake camera playing the two-face e2e clip, wasm
 * backend, 1600x900. `npx tsx scripts/screenshot-conference.ts` (ffmpeg turns the PNG into JPEG).
 */
import { execFileSync } from 'node:child_process';
import { chromium } from '@playwright/test';
import { writeTwoFacesClip } from '../e2e/liveClips';
import { chromiumPath, fakeCameraArgs } from './chromium';
import { cachedClip } from './clips';
import { serveBuild } from './lab';

const OUT = new URL('../docs/conference.jpg', import.meta.url).pathname;

async function main() {
  const clip = cachedClip('two-faces.y4m', writeTwoFacesClip);
  const served = await serveBuild();
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: fakeCameraArgs(clip),
  });
  try {
    const page = await (await browser.newContext({ viewport: { width: 1600, height: 900 }, serviceWorkers: 'block' })).newPage();
    await page.goto(`${served.url}?backend=wasm`);
    await page.getByTestId('backend').waitFor({ timeout: 300_000 });
    await page.getByTestId('camera-start').click();
    await page.locator('[data-testid=camera][data-tracking=true]').waitFor({ timeout: 300_000 });
    await page.keyboard.press('f');
    // Both faces charted, the estimates settled (several seconds of fusion), the mouse resting.
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=live-chart]').length === 2, undefined, { timeout: 120_000 });
    await page.waitForTimeout(6000);
    await page.mouse.move(800, 450);
    await page.screenshot({ path: `${OUT}.png` });
    execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-i', `${OUT}.png`, '-q:v', '4', OUT]);
    execFileSync('rm', [`${OUT}.png`]);
    console.log(`wrote ${OUT}`);
  } finally {
    await browser.close();
    await served.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
