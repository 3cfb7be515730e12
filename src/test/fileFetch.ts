/** For Node tests: a fetch that serves files under public/ at a fake origin, as the app's server would. */
import { readFile } from 'node:fs/promises';

const PUBLIC = new URL('../../public/', import.meta.url);
export const TEST_ORIGIN = 'http://agedist.test/';

export const publicFileFetch = (async (input: RequestInfo | URL) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (url.origin !== new URL(TEST_ORIGIN).origin) throw new Error(`unexpected URL ${url}`);
  try {
    return new Response(await readFile(new URL(url.pathname.slice(1), PUBLIC)));
  } catch {
    return new Response('not found', { status: 404 });
  }
}) as typeof fetch;
