/**
 * For command-line tools: build the app, serve the production build, and drive its pipeline
 * (lab.html) in headless Chromium, so scripts run exactly the code the browser runs.
 */
export { centralFace } from '../src/face/central';
import { readFile } from 'node:fs/promises';
import { chromium, type Browser, type Page } from '@playwright/test';
import { build, preview, type PreviewServer } from 'vite';
import { CHROMIUM_ARGS, chromiumPath } from './chromium';
import type { LabDetection, LabResult } from '../src/worker/labTypes';

export type { LabDetection, LabResult };

export interface Served {
  url: string;
  browser: Browser;
  close: () => Promise<void>;
}

/** Builds (unless skipBuild), serves on a free port and launches Chromium. */
export async function serveBuild(options: { skipBuild?: boolean } = {}): Promise<Served> {
  if (!options.skipBuild) await build({ logLevel: 'warn' });
  const server: PreviewServer = await preview({ preview: { port: 4180, strictPort: false }, logLevel: 'warn' });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('preview server has no URL');
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  return {
    url,
    browser,
    close: async () => {
      await browser.close();
      await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
    },
  };
}

export interface Lab {
  page: Page;
  /** Ids of the ensemble's members, in order. */
  members: string[];
  estimateFile: (path: string, kind?: 'photo' | 'video') => Promise<LabResult>;
  /** The same on bytes already read; rejects with "cannot decode image: …" for bytes the browser cannot decode. */
  estimateBytes: (bytes: Uint8Array, kind?: 'photo' | 'video') => Promise<LabResult>;
  detectFile: (path: string, kind?: 'photo' | 'video') => Promise<LabDetection>;
}

export async function openLab(served: Served, options: { backend?: string; ensemble?: string; memberWorkers?: boolean } = {}): Promise<Lab> {
  const page = await served.browser.newPage();
  const query = new URLSearchParams({ backend: options.backend ?? 'wasm' });
  if (options.ensemble) query.set('ensemble', options.ensemble);
  if (options.memberWorkers === false) query.set('memberWorkers', '0');
  await page.goto(`${served.url}lab.html?${query}`);
  const { members } = await page.evaluate(() => window.agedistLab.ready);
  const estimateBytes = (bytes: Uint8Array, kind: 'photo' | 'video' = 'photo') =>
    page.evaluate(
      ([b64, k]) => window.agedistLab.estimate(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)), k),
      [Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'), kind] as const,
    );
  return {
    page,
    members,
    estimateBytes,
    estimateFile: async (path, kind = 'photo') => estimateBytes(await readFile(path), kind),
    detectFile: async (path, kind = 'video') => {
      const base64 = (await readFile(path)).toString('base64');
      return page.evaluate(
        ([b64, k]) => window.agedistLab.detect(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)), k),
        [base64, kind] as const,
      );
    },
  };
}

