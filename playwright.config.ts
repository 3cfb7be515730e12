import { defineConfig } from '@playwright/test';
import { BASE_URL, CAMERA_Y4M, TWO_FACES_Y4M } from './e2e/paths';
import { CHROMIUM_ARGS as baseArgs, chromiumPath, fakeCameraArgs } from './scripts/chromium';

const PORT = new URL(BASE_URL).port;

export default defineConfig({
  testDir: 'e2e',
  globalSetup: './e2e/global-setup.ts',
  // Two cores: the app itself uses both (wasm threads), so tests run one at a time.
  workers: 1,
  fullyParallel: false,
  timeout: 180_000,
  expect: { timeout: 60_000 },
  retries: process.env.CI ? 1 : 0,
  reporter: [['list']],
  use: {
    baseURL: BASE_URL,
    launchOptions: { executablePath: chromiumPath(), args: baseArgs },
    trace: 'retain-on-failure',
    // The app's service worker would answer requests from its cache, out of sight of page.route();
    // only e2e/offline.spec.ts, which tests it, lets it run.
    serviceWorkers: 'block',
  },
  projects: [
    { name: 'app', testIgnore: /(camera|live)\.spec\.ts/ },
    {
      name: 'camera',
      testMatch: /camera\.spec\.ts/,
      use: {
        launchOptions: {
          executablePath: chromiumPath(),
          args: fakeCameraArgs(CAMERA_Y4M),
        },
      },
    },
    {
      name: 'live',
      testMatch: /live\.spec\.ts/,
      use: {
        acceptDownloads: true,
        launchOptions: {
          executablePath: chromiumPath(),
          args: fakeCameraArgs(TWO_FACES_Y4M),
        },
      },
    },
  ],
  webServer: {
    // The production build, as a visitor gets it.
    command: `npx vite build --logLevel warn && npx vite preview --port ${PORT} --strictPort`,
    url: BASE_URL,
    timeout: 300_000,
    reuseExistingServer: !process.env.CI,
  },
});
