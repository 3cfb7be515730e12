import { readFileSync } from 'node:fs';
import { expect, test, type Download, type Locator, type Page } from '@playwright/test';
import Papa from 'papaparse';
import { dropFiles, facesOf, jpeg, openApp, pngStats } from './app';
import type { ExportedFace } from '../src/ui/export/results';

async function download(page: Page, press: () => Promise<void>): Promise<{ download: Download; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), press()]);
  return { download, bytes: readFileSync(await download.path()) };
}

/** What the page shows for each face: the overlay's data-age and label, the chart's std and mode. */
async function shownFaces(page: Page, card: Locator) {
  const faces = card.getByTestId('face');
  const shown = [];
  for (let i = 0; i < (await faces.count()); i++) {
    await faces.nth(i).click();
    const age = await faces.nth(i).getAttribute('data-age');
    const chart = page.getByTestId('age-chart');
    await expect(chart).toHaveAttribute('data-age', age!);
    const [, labelAge, labelStd] = /≈ (\d+) \(±(\d+)\)/.exec((await faces.nth(i).getAttribute('aria-label'))!)!;
    const [, chartStd, chartMode] = /standard deviation ([\d.]+), most likely (\d+)/.exec((await chart.locator('canvas').getAttribute('aria-label'))!)!;
    shown.push({ age: age!, labelAge: Number(labelAge), labelStd: Number(labelStd), chartStd, chartMode: Number(chartMode) });
  }
  return shown;
}

test('a photo’s results export as CSV, JSON and PNG holding the numbers the page shows', async ({ page }) => {
  const foreign = await openApp(page);
  const badge = page.getByTestId('backend');
  await expect(badge).toHaveAttribute('data-backend', 'wasm');
  const ensembleName = (await badge.getAttribute('data-ensemble'))!;
  const ensembleVersion = (await (await page.request.get('/models/ensemble.json')).json()).version as string;
  expect(ensembleVersion).toMatch(/^\d{4}\.\d{2}\.\d{2}$/);

  await dropFiles(page, [jpeg('sample1.jpg')]);
  const ages = await facesOf(page, 'sample1.jpg');
  expect(ages).toHaveLength(3);
  const card = page.getByTestId('photo').filter({ hasText: 'sample1.jpg' });
  const shown = await shownFaces(page, card);
  const exportGroup = card.getByRole('group', { name: 'Export the results of sample1.jpg' });
  await expect(exportGroup.getByRole('button', { name: 'Download CSV of sample1.jpg' })).toBeVisible();

  // JSON, by keyboard: the buttons are real buttons.
  await card.getByTestId('export-json').focus();
  const json = await download(page, () => page.keyboard.press('Enter'));
  expect(json.download.suggestedFilename()).toBe('sample1.agedist.json');
  const doc = JSON.parse(json.bytes.toString('utf8'));
  expect(doc).toMatchObject({ source: 'sample1.jpg', backend: 'wasm', ensemble: { name: ensembleName, version: ensembleVersion } });
  const size = await card.locator('img').evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight]);
  expect([doc.width, doc.height]).toEqual(size);
  expect(doc.faces).toHaveLength(shown.length);
  doc.faces.forEach((face: ExportedFace, i: number) => {
    expect(face.index).toBe(i + 1);
    expect(face.age.toFixed(2)).toBe(shown[i].age);
    expect(Math.round(face.age)).toBe(shown[i].labelAge);
    expect(Math.round(face.std)).toBe(shown[i].labelStd);
    expect(face.std.toFixed(1)).toBe(shown[i].chartStd);
    expect(face.mode).toBe(shown[i].chartMode);
    expect(face.probabilities).toHaveLength(101);
    expect(face.probabilities.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 4);
    expect(face.members.length).toBeGreaterThan(0);
    for (const m of face.members) expect(m.age).toBeGreaterThan(0);
  });

  // CSV, by mouse: the same numbers, one row per face.
  const csv = await download(page, () => card.getByTestId('export-csv').click());
  expect(csv.download.suggestedFilename()).toBe('sample1.agedist.csv');
  const table = Papa.parse<Record<string, string | number>>(csv.bytes.toString('utf8'), { header: true, dynamicTyping: true, skipEmptyLines: true });
  expect(table.errors).toEqual([]);
  expect(table.data).toHaveLength(shown.length);
  const memberColumns = doc.faces[0].members.map((m: { id: string }) => `member_${m.id}_age`);
  expect(table.meta.fields).toEqual(expect.arrayContaining(['box_x', 'box_y', 'box_width', 'box_height', 'mode', 'p0', 'p100', ...memberColumns]));
  table.data.forEach((row, i) => {
    expect(row).toMatchObject({ source: 'sample1.jpg', face: i + 1, backend: 'wasm', ensemble: ensembleName, mode: shown[i].chartMode });
    expect(String(row.ensemble_version)).toBe(ensembleVersion);
    expect((row.age as number).toFixed(2)).toBe(shown[i].age);
    expect((row.std as number).toFixed(1)).toBe(shown[i].chartStd);
    expect(row.box_x).toBe(doc.faces[i].box.x);
    memberColumns.forEach((column: string, k: number) => expect(row[column]).toBe(doc.faces[i].members[k].age));
    const probabilities = Array.from({ length: 101 }, (_, age) => row[`p${age}`] as number);
    expect(probabilities).toEqual(doc.faces[i].probabilities);
  });

  // PNG: at least the photo's size, and neither the photo part nor the charts below it blank.
  const png = await download(page, () => card.getByTestId('export-png').click());
  expect(png.download.suggestedFilename()).toBe('sample1.agedist.png');
  expect(png.bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  const pixels = await pngStats(page, png.bytes, size[1]);
  expect(pixels.width).toBeGreaterThanOrEqual(size[0]);
  expect(pixels.height).toBeGreaterThan(size[1]);
  expect(pixels.photo).toBeGreaterThan(100);
  expect(pixels.charts).toBeGreaterThan(50);
  await expect(card.getByTestId('export-png')).toBeEnabled();
  await expect(exportGroup.getByRole('alert')).toHaveCount(0);
  expect(foreign).toEqual([]);
});
