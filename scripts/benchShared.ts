/** What the bench scripts (bench.ts, benchStages.ts, benchPeer.ts, benchFirstGroup.ts) share. */
import type { Locator, Page } from '@playwright/test';
import type { StageTimings } from '../src/worker/protocol';

/** The committed test photos (e2e/fixtures/). */
export const FIXTURES = new URL('../e2e/fixtures/', import.meta.url).pathname;

/** The value after `--name` on the command line, if given. */
export function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** The middle value (the upper of the two middle ones for an even count). */
export const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Picks a fixture photo on the main page and waits for its ages; checks the faces found and
 * returns the worker's stage times, the photo's card (the newest, listed first) and when the page
 * showed it done (Date.now(), before the checks).
 */
export async function pickPhoto(page: Page, file: string, expectedFaces: number): Promise<{ timings: StageTimings; card: Locator; doneAt: number }> {
  await page.getByTestId('photo-input').setInputFiles(`${FIXTURES}${file}`);
  const card = page.getByTestId('photo').first();
  await card.and(page.locator('[data-status=done]')).waitFor({ timeout: 300_000 });
  const doneAt = Date.now();
  const faces = Number(await card.getAttribute('data-faces'));
  if (faces !== expectedFaces) throw new Error(`${file}: expected ${expectedFaces} faces, found ${faces}`);
  return { timings: JSON.parse((await card.getAttribute('data-timings')) ?? 'null') as StageTimings, card, doneAt };
}
