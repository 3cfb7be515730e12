/**
 * Renders the web app manifest's PNG icons from public/favicon.svg in headless Chromium:
 * public/icons/icon-192.png, icon-512.png (the favicon as drawn) and icon-maskable-512.png (the
 * favicon's curve on a full-bleed square, inside the maskable safe zone, a centred circle of 80%).
 *
 *   npx tsx scripts/make-icons.ts
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumPath } from './chromium';

const publicDir = new URL('../public/', import.meta.url);
const outDir = new URL('icons/', publicDir);
const favicon = readFileSync(new URL('favicon.svg', publicDir), 'utf8');

/** The favicon's drawing without its rounded background, scaled to 60% about the centre. */
function maskable(svg: string): string {
  const background = /<rect\b[^>]*\bfill="([^"]+)"[^>]*\/>/.exec(svg);
  const viewBox = /viewBox="0 0 (\d+) (\d+)"/.exec(svg);
  if (!background || !viewBox) throw new Error('favicon.svg: expected a viewBox "0 0 W H" and a background <rect fill=…/>');
  const [w, h] = [Number(viewBox[1]), Number(viewBox[2])];
  const drawing = svg.replace(/^[\s\S]*?<svg[^>]*>/, '').replace(/<\/svg>\s*$/, '').replace(background[0], '');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h}"><rect width="${w}" height="${h}" fill="${background[1]}"/>`
    + `<g transform="translate(${w / 2} ${h / 2}) scale(0.6) translate(${-w / 2} ${-h / 2})">${drawing}</g></svg>`;
}

const icons = [
  { file: 'icon-192.png', size: 192, svg: favicon },
  { file: 'icon-512.png', size: 512, svg: favicon },
  { file: 'icon-maskable-512.png', size: 512, svg: maskable(favicon) },
];

mkdirSync(outDir, { recursive: true });
const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
try {
  for (const { file, size, svg } of icons) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    const src = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
    await page.setContent(`<style>html,body{margin:0;background:transparent}img{display:block}</style><img src="${src}" width="${size}" height="${size}">`);
    await page.locator('img').evaluate((img: HTMLImageElement) => img.decode());
    await page.screenshot({ path: new URL(file, outDir).pathname, omitBackground: true });
    await page.close();
    console.log(`public/icons/${file}`);
  }
} finally {
  await browser.close();
}
