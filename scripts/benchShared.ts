/** What the bench scripts (bench.ts, benchStages.ts, benchPeer.ts) share. */

/** The committed test photos (e2e/fixtures/). */
export const FIXTURES = new URL('../e2e/fixtures/', import.meta.url).pathname;

/** The value after `--name` on the command line, if given. */
export function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** The middle value (the upper of the two middle ones for an even count). */
export const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
