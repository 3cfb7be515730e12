/**
 * The app's IndexedDB (through `idb`): saved ensembles (file maps, see ensembleFiles.ts), the
 * training page's aligned-crop cache and its last checkpoint. Works on pages and in workers.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { FivePoints } from '../geometry/points';
import type { EnsembleFiles } from './ensembleFiles';

export interface SavedEnsemble {
  name: string;
  savedAt: string;
  /** 'training' or 'import'. */
  origin: string;
  files: EnsembleFiles;
}

/** One image's preprocessing, keyed by content hash and alignment template. */
export type CachedCrop =
  | { key: string; points5: FivePoints; crop: Blob }
  | { key: string; rejected: string };

/** The training page's last run, saved at every new best epoch (one record, key 'latest'). */
export interface Checkpoint {
  runKey: 'latest';
  savedAt: string;
  /** The member being trained and its best epoch so far. */
  member: string;
  epoch: number;
  settings: unknown;
  /** What the run trains on: labels and crop-cache keys, so it resumes without the files. */
  samples: unknown;
  /** Members finished before `member`. */
  completed: string[];
  /** Every member's expected ages on the validation faces before the run (for the before/after table). */
  before: number[][];
  /** Per member: `ID/model.json` and `ID/weights.bin` of its best weights so far. */
  files: EnsembleFiles;
}

interface AgedistDb extends DBSchema {
  ensembles: { key: string; value: SavedEnsemble };
  crops: { key: string; value: CachedCrop };
  checkpoints: { key: string; value: Checkpoint };
}

let db: Promise<IDBPDatabase<AgedistDb>> | undefined;

export function openStore(): Promise<IDBPDatabase<AgedistDb>> {
  db ??= openDB<AgedistDb>('agedist', 1, {
    upgrade(database) {
      database.createObjectStore('ensembles', { keyPath: 'name' });
      database.createObjectStore('crops', { keyPath: 'key' });
      database.createObjectStore('checkpoints', { keyPath: 'runKey' });
    },
  });
  return db;
}

export async function listEnsembles(): Promise<{ name: string; savedAt: string; origin: string }[]> {
  const all = await (await openStore()).getAll('ensembles');
  return all.map(({ name, savedAt, origin }) => ({ name, savedAt, origin })).sort((a, b) => b.savedAt.localeCompare(a.savedAt));
}

export async function saveEnsemble(name: string, files: EnsembleFiles, origin: string): Promise<void> {
  await (await openStore()).put('ensembles', { name, files, origin, savedAt: new Date().toISOString() });
}

export async function loadEnsembleFiles(name: string): Promise<EnsembleFiles | undefined> {
  return (await (await openStore()).get('ensembles', name))?.files;
}

export async function deleteEnsemble(name: string): Promise<void> {
  await (await openStore()).delete('ensembles', name);
}
