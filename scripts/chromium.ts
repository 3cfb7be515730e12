/** Which Chromium the tests and benchmarks drive, and the flags that work headless here. */
import { existsSync } from 'node:fs';

/** CHROMIUM_PATH, else Debian's /usr/bin/chromium, else Playwright's own browser (undefined). */
export function chromiumPath(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  return undefined;
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--enable-unsafe-webgpu',
  // For experiments, e.g. CHROMIUM_EXTRA_ARGS=--js-flags=--no-wasm-dynamic-tiering (docs/BENCHMARKS.md).
  ...(process.env.CHROMIUM_EXTRA_ARGS?.split(' ').filter(Boolean) ?? []),
];

/** CHROMIUM_ARGS plus a fake webcam, allowed without a prompt, that loops the y4m `clip`. */
export function fakeCameraArgs(clip: string): string[] {
  return [...CHROMIUM_ARGS, '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${clip}`];
}
