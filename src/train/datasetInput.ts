/**
 * Files of a dropped dataset, with their paths inside it: a dropped folder (walked through the
 * File System entries API), files picked with a folder picker (webkitRelativePath), loose files,
 * or a .zip (read with fflate). One unreadable entry never stops the rest.
 */
import { unzipSync } from 'fflate';

export interface DatasetEntry {
  path: string;
  file: Blob;
}

const MIME: Record<string, string> = { jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', gif: 'image/gif', bmp: 'image/bmp', csv: 'text/csv' };
const typeOf = (path: string) => MIME[path.split('.').pop()?.toLowerCase() ?? ''] ?? 'application/octet-stream';

export async function entriesFromZip(zip: Blob, prefix = ''): Promise<DatasetEntry[]> {
  const files = unzipSync(new Uint8Array(await zip.arrayBuffer()), { filter: (f) => !f.name.endsWith('/') && !f.name.startsWith('__MACOSX/') });
  return Object.entries(files).map(([path, bytes]) => ({ path: prefix + path, file: new Blob([bytes as Uint8Array<ArrayBuffer>], { type: typeOf(path) }) }));
}

/** Zips inside the selection are opened; everything else is kept as it is. */
async function expand(entries: DatasetEntry[], problems: string[]): Promise<DatasetEntry[]> {
  const out: DatasetEntry[] = [];
  for (const e of entries) {
    if (!/\.zip$/i.test(e.path)) {
      out.push(e);
      continue;
    }
    try {
      out.push(...(await entriesFromZip(e.file, e.path.includes('/') ? e.path.slice(0, e.path.lastIndexOf('/') + 1) : '')));
    } catch (error) {
      problems.push(`${e.path}: not a readable zip (${(error as Error).message})`);
    }
  }
  return out;
}

function readDirectory(dir: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = dir.createReader();
  const all: FileSystemEntry[] = [];
  // readEntries returns at most ~100 entries per call: call until it returns none.
  return new Promise((resolve, reject) => {
    const next = () => reader.readEntries((batch) => (batch.length === 0 ? resolve(all) : (all.push(...batch), next())), reject);
    next();
  });
}

async function walk(entry: FileSystemEntry, problems: string[]): Promise<DatasetEntry[]> {
  const path = entry.fullPath.replace(/^\//, '');
  if (entry.isFile) {
    try {
      const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
      return [{ path, file }];
    } catch {
      problems.push(`${path}: could not be read`);
      return [];
    }
  }
  const children = await readDirectory(entry as FileSystemDirectoryEntry).catch(() => (problems.push(`${path}: folder could not be read`), []));
  return (await Promise.all(children.map((c) => walk(c, problems)))).flat();
}

export async function entriesFromDrop(data: DataTransfer): Promise<{ entries: DatasetEntry[]; problems: string[] }> {
  const problems: string[] = [];
  const roots = Array.from(data.items)
    .filter((i) => i.kind === 'file')
    .map((i) => i.webkitGetAsEntry?.())
    .filter((e): e is FileSystemEntry => !!e);
  const entries = roots.length > 0 ? (await Promise.all(roots.map((r) => walk(r, problems)))).flat() : Array.from(data.files, (f) => ({ path: f.name, file: f }));
  return { entries: await expand(entries, problems), problems };
}

export async function entriesFromPicker(files: FileList): Promise<{ entries: DatasetEntry[]; problems: string[] }> {
  const problems: string[] = [];
  const entries = Array.from(files, (f) => ({ path: f.webkitRelativePath || f.name, file: f as Blob }));
  return { entries: await expand(entries, problems), problems };
}
