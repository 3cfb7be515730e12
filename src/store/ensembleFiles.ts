/**
 * A saved ensemble is a set of files laid out exactly as under public/models: `ensemble.json`,
 * and per member `ID/member.json`, `ID/model.json`, `ID/weights.bin`, `ID/MODEL_CARD.md`. The
 * same file map is what IndexedDB stores, what the exported `.zip` holds, and what an imported
 * `.zip` must contain, so export → import is lossless by construction. Pure: no DOM, no storage.
 */
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { parseEnsembleManifest, parseMemberManifest, type EnsembleManifest } from '../age/manifest';

export type EnsembleFiles = Record<string, Uint8Array>;

/** URLs of saved ensembles: `agedist-saved://NAME/ensemble.json`, members relative to it. */
export const SAVED_SCHEME = 'agedist-saved:';

export function savedEnsembleUrl(name: string): string {
  return `${SAVED_SCHEME}//${encodeURIComponent(name)}/ensemble.json`;
}

/** The saved ensemble's name and the file path inside it, or undefined for any other URL. */
export function parseSavedUrl(url: string): { name: string; path: string } | undefined {
  if (!url.startsWith(`${SAVED_SCHEME}//`)) return undefined;
  const rest = url.slice(SAVED_SCHEME.length + 2);
  const slash = rest.indexOf('/');
  if (slash < 0) return undefined;
  return { name: decodeURIComponent(rest.slice(0, slash)), path: rest.slice(slash + 1).split(/[?#]/)[0] };
}

export const textFile = (value: unknown) => strToU8(typeof value === 'string' ? value : JSON.stringify(value, null, 2) + '\n');
export const readJson = (files: EnsembleFiles, path: string): unknown => JSON.parse(strFromU8(files[path]));

/**
 * Checks that the files make a loadable ensemble (manifests parse, every member's model and weight
 * files are present) and returns its manifest; throws one readable error otherwise.
 */
export function validateEnsembleFiles(files: EnsembleFiles): EnsembleManifest {
  if (!files['ensemble.json']) throw new Error('no ensemble.json at the top of the files');
  const manifest = parseEnsembleManifest(readJson(files, 'ensemble.json'));
  for (const entry of manifest.members) {
    const memberPath = entry.path.replace(/^\.\//, '');
    if (!files[memberPath]) throw new Error(`ensemble.json names ${memberPath}, which is missing`);
    const member = parseMemberManifest(readJson(files, memberPath), memberPath);
    const dir = memberPath.slice(0, memberPath.lastIndexOf('/') + 1);
    const modelPath = dir + member.model.url;
    if (!files[modelPath]) throw new Error(`${memberPath} names ${modelPath}, which is missing`);
    const model = readJson(files, modelPath) as { weightsManifest?: { paths: string[] }[] };
    for (const group of model.weightsManifest ?? []) {
      for (const p of group.paths) if (!files[dir + p]) throw new Error(`${modelPath} names weights ${dir + p}, which are missing`);
    }
  }
  return manifest;
}

/** A `.zip` of the files (stored, not deflated: the weights do not compress). */
export function zipEnsemble(files: EnsembleFiles): Uint8Array {
  return zipSync(files, { level: 0 });
}

/**
 * Files from a `.zip`, checked by validateEnsembleFiles (its manifest comes back too); a single top
 * folder (how most zip tools wrap a folder) is removed.
 */
export function unzipEnsemble(zip: Uint8Array): { files: EnsembleFiles; manifest: EnsembleManifest } {
  let files: EnsembleFiles;
  try {
    files = unzipSync(zip);
  } catch (error) {
    throw new Error(`not a readable zip file (${(error as Error).message})`);
  }
  for (const path of Object.keys(files)) if (path.endsWith('/')) delete files[path];
  const tops = new Set(Object.keys(files).map((p) => p.split('/')[0]));
  if (!files['ensemble.json'] && tops.size === 1) {
    const [top] = tops;
    files = Object.fromEntries(Object.entries(files).map(([p, v]) => [p.slice(top.length + 1), v]));
  }
  return { files, manifest: validateEnsembleFiles(files) };
}

/** Serves the files as `fetch` would, for tf.loadLayersModel / AgeEnsemble.create. */
export function filesFetch(files: EnsembleFiles, url: string): Response {
  const parsed = parseSavedUrl(url);
  const body = parsed && files[parsed.path];
  if (!body) return new Response('not found', { status: 404 });
  return new Response(body.slice().buffer as ArrayBuffer);
}
