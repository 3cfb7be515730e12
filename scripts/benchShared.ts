/** What the bench scripts (bench.ts, benchStages.ts, benchPeer.ts) share. */

/** The committed test photos (e2e/fixtures/). */
export const FIXTURES = new URL('../e2e/fixtures/', import.meta.url).pathname;

/** The middle value (the upper of the two middle ones for an even count). */
export const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
