/**
 * Which files a scoring run covers: every JPEG, PNG and WebP under the given paths (recursively,
 * in a stable order), each named by its path relative to the paths' common root, with '/' as the
 * separator on every system (the name is the key for resuming, queue job ids and merging).
 */
import { readdir, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

export const IMAGE_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.webp'];

export function isImageName(name: string): boolean {
  const lower = name.toLowerCase();
  return IMAGE_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

/** The deepest directory that holds all of the given absolute directories. */
export function commonRoot(dirs: string[]): string {
  if (dirs.length === 0) throw new Error('no paths');
  let root = dirs[0];
  for (const dir of dirs.slice(1)) {
    while (!(dir === root || dir.startsWith(root.endsWith(sep) ? root : root + sep))) {
      const up = dirname(root);
      if (up === root) break;
      root = up;
    }
  }
  return root;
}

/** `file` as the result lines name it: relative to root, '/'-separated. */
export function relativeName(root: string, file: string): string {
  return relative(root, file).split(sep).join('/');
}

export interface ImageFile {
  /** Absolute path on this machine. */
  path: string;
  /** Relative to the root, '/'-separated: the key in results and in the queue. */
  file: string;
}

async function walk(dir: string, out: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await walk(path, out);
    else if ((entry.isFile() || entry.isSymbolicLink()) && isImageName(entry.name)) out.push(path);
  }
}

/**
 * The images under `paths` (directories are walked; a file argument is taken as it is, whatever
 * its name). The root is the deepest directory common to the arguments (a file counts as its
 * directory): one directory is its own root, `a/ b/` gives names like `a/x.jpg`.
 */
export async function findImages(paths: string[], cwd = process.cwd()): Promise<{ root: string; images: ImageFile[] }> {
  const absolute = paths.map((p) => (isAbsolute(p) ? p : resolve(cwd, p)));
  const found: string[] = [];
  const dirs: string[] = [];
  for (const path of absolute) {
    const info = await stat(path).catch(() => undefined);
    if (!info) throw new Error(`${path}: no such file or directory`);
    if (info.isDirectory()) {
      dirs.push(path);
      await walk(path, found);
    } else {
      dirs.push(dirname(path));
      found.push(path);
    }
  }
  const root = commonRoot(dirs);
  const seen = new Set<string>();
  const images: ImageFile[] = [];
  for (const path of found) {
    const file = relativeName(root, path);
    if (seen.has(file)) continue; // the same file reached through two arguments
    seen.add(file);
    images.push({ path, file });
  }
  return { root, images };
}
