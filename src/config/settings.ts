/**
 * Page-side settings shared by the photo page, the lab page and the training page: asset URLs, the
 * ?backend= override, the chosen ensemble and the remembered backend measurement.
 */
import { parseBackendName, type BackendName } from '../runtime/backendChoice';
import { savedEnsembleUrl } from '../store/ensembleFiles';

/** Absolute URL of a file the app serves (public/), wherever the app is deployed. */
export function assetUrl(path: string): string {
  return new URL(path, new URL(import.meta.env.BASE_URL, location.href)).href;
}

export const ENSEMBLE_URL = assetUrl('models/ensemble.json');
export const MEDIAPIPE_BASE = assetUrl('mediapipe/');

/** The shipped ensemble's key; any other key names a shipped choice below or an ensemble saved in this browser. */
export const DEFAULT_ENSEMBLE = 'default';
const ENSEMBLE_KEY = 'agedist.ensemble.v1';

/** Ensembles that ship with the app, as the Models menu offers them (the default first). */
export interface ShippedEnsemble {
  key: string;
  label: string;
  url: string;
}

export const SHIPPED_ENSEMBLES: readonly ShippedEnsemble[] = [
  { key: DEFAULT_ENSEMBLE, label: 'Default', url: ENSEMBLE_URL },
  // Same members and download; each face of a photo also runs mirrored (live video skips it).
  { key: 'default-mirror', label: 'Default, mirrored: more accurate, photos slower', url: assetUrl('models/ensembles/default-mirror.json') },
  // Two more members (downloaded when chosen, not precached for offline use), mirrored; live
  // video runs it unmirrored. Figures from docs/RESULTS.md ("Accuracy IV").
  { key: 'accurate', label: 'Accurate: 4 models, mirrored (valid ε 0.255 against 0.264; 5.8 MB more; photos about 4× slower)', url: assetUrl('models/ensembles/accurate.json') },
];

export function ensembleUrlFor(key: string): string {
  return SHIPPED_ENSEMBLES.find((e) => e.key === key)?.url ?? savedEnsembleUrl(key);
}

export function chosenEnsemble(): string {
  try {
    return localStorage.getItem(ENSEMBLE_KEY) ?? DEFAULT_ENSEMBLE;
  } catch {
    return DEFAULT_ENSEMBLE;
  }
}

export function chooseEnsemble(key: string): void {
  try {
    localStorage.setItem(ENSEMBLE_KEY, key);
  } catch {
    // Without storage the choice lasts until the page is reloaded.
  }
}

export function forcedBackend(): BackendName | undefined {
  return parseBackendName(new URLSearchParams(location.search).get('backend'));
}

/** ?memberWorkers=0 runs every ensemble member in the inference worker (benchmarks compare). */
export function memberWorkers(): boolean {
  return new URLSearchParams(location.search).get('memberWorkers') !== '0';
}

/** The measurement is tied to the browser build; a new browser may change the answer. */
const REMEMBER_KEY = 'agedist.fastestBackend.v1';

export function rememberedBackend(): BackendName | undefined {
  try {
    const saved = JSON.parse(localStorage.getItem(REMEMBER_KEY) ?? 'null') as { backend?: string; userAgent?: string } | null;
    return saved?.userAgent === navigator.userAgent ? parseBackendName(saved.backend) : undefined;
  } catch {
    return undefined;
  }
}

export function rememberBackend(backend: BackendName): void {
  try {
    localStorage.setItem(REMEMBER_KEY, JSON.stringify({ backend, userAgent: navigator.userAgent }));
  } catch {
    // Storage may be disabled (private mode); measuring again next time is harmless.
  }
}
