/** A `fetch` for tfjs model loaders in Node: serves the files of one folder by their base name. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

export function dirFetch(dir: string): typeof fetch {
  return (async (input: RequestInfo | URL) => new Response(await readFile(join(dir, new URL(String(input)).pathname.split('/').pop()!)))) as typeof fetch;
}
