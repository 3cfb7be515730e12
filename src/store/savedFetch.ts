/**
 * A fetch that also serves saved ensembles (`agedist-saved://NAME/...`) from IndexedDB, so the
 * ensemble loader and tf.loadLayersModel read them exactly like files from the server.
 */
import { filesFetch, parseSavedUrl, type EnsembleFiles } from './ensembleFiles';
import { loadEnsembleFiles } from './db';

export function withSavedEnsembles(fetchImpl: typeof fetch): typeof fetch {
  const loaded = new Map<string, Promise<EnsembleFiles | undefined>>();
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : String(input);
    const saved = parseSavedUrl(url);
    if (!saved) return fetchImpl(input, init);
    if (!loaded.has(saved.name)) loaded.set(saved.name, loadEnsembleFiles(saved.name));
    const files = await loaded.get(saved.name);
    if (!files) return new Response(`no saved ensemble named ${saved.name}`, { status: 404 });
    return filesFetch(files, url);
  }) as typeof fetch;
}
