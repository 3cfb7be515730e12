import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commonRoot, findImages, isImageName } from './files';

describe('score files', () => {
  it('knows image names by extension, any case', () => {
    expect(['a.jpg', 'b.JPEG', 'c.png', 'd.WebP'].every(isImageName)).toBe(true);
    expect(['a.gif', 'b.txt', 'jpg'].some(isImageName)).toBe(false);
  });

  it('finds the deepest common directory', () => {
    expect(commonRoot(['/data/a'])).toBe('/data/a');
    expect(commonRoot(['/data/a', '/data/b/c'])).toBe('/data');
    expect(commonRoot(['/data/ab', '/data/a'])).toBe('/data');
    expect(commonRoot(['/x', '/y'])).toBe('/');
  });

  it('walks folders recursively in a stable order, names relative to the root', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'score-files-'));
    mkdirSync(join(dir, 'photos/sub'), { recursive: true });
    mkdirSync(join(dir, 'more'));
    for (const f of ['photos/b.jpg', 'photos/a.PNG', 'photos/sub/c.webp', 'photos/notes.txt', 'more/d.jpeg']) writeFileSync(join(dir, f), '');
    const one = await findImages([join(dir, 'photos')]);
    expect(one.root).toBe(join(dir, 'photos'));
    expect(one.images.map((i) => i.file)).toEqual(['a.PNG', 'b.jpg', 'sub/c.webp']);
    expect(one.images[2].path).toBe(join(dir, 'photos/sub/c.webp'));
    const two = await findImages([join(dir, 'photos'), join(dir, 'more'), join(dir, 'photos/b.jpg')]);
    expect(two.root).toBe(dir);
    expect(two.images.map((i) => i.file)).toEqual(['photos/a.PNG', 'photos/b.jpg', 'photos/sub/c.webp', 'more/d.jpeg']);
    const file = await findImages([join(dir, 'photos/notes.txt')]);
    expect(file.images.map((i) => i.file)).toEqual(['notes.txt']);
    await expect(findImages([join(dir, 'missing')])).rejects.toThrow(/no such file/);
  });
});
