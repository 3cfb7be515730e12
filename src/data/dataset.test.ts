import { describe, expect, it } from 'vitest';
import { assembleDataset, issuesCsv } from './dataset';

const files = (entries: Record<string, string>) => ({ paths: Object.keys(entries), read: (p: string) => entries[p] });

describe('assembleDataset', () => {
  it('matches CSV rows to images relative to the CSV, reports every skipped row and file, keeps the CSV split', () => {
    const { paths, read } = files({
      'set/labels.csv': 'file,age_mean,age_std,split\nimg/a.jpg,30,4,train\nimg/b.jpg,41,,valid\nimg/c.jpg,abc,2,train\nimg/missing.jpg,20,2,train\nimg/d.png,50,5,test\n',
      'set/img/a.jpg': '',
      'set/img/b.jpg': '',
      'set/img/c.jpg': '',
      'set/img/d.png': '',
      'set/img/extra.jpg': '',
      'set/notes.txt': '',
    });
    const d = assembleDataset(paths, read, { defaultStd: 3.5, validFraction: 0.2, seed: 1 });
    expect(d.format).toBe('agedist');
    expect(d.labelsPath).toBe('set/labels.csv');
    expect(d.splitFrom).toBe('csv');
    expect(d.samples).toEqual([
      { path: 'set/img/a.jpg', mean: 30, std: 4, stdGiven: true, split: 'train' },
      { path: 'set/img/b.jpg', mean: 41, std: 3.5, stdGiven: false, split: 'valid' },
    ]);
    const reasons = Object.fromEntries(d.issues.map((i) => [i.source, i.reason]));
    expect(reasons['set/notes.txt']).toMatch(/not an image/);
    expect(reasons['set/labels.csv line 4']).toMatch(/not a number/);
    expect(reasons['img/missing.jpg']).toMatch(/no such image/);
    expect(reasons['img/d.png']).toMatch(/neither train nor valid/);
    expect(reasons['set/img/extra.jpg']).toMatch(/no row/);
    expect(reasons['set/img/c.jpg']).toMatch(/no row/); // its row was bad
  });

  it('reads ChaLearn CSVs, finds images by file name and splits at random (seeded) without a split column', () => {
    const entries: Record<string, string> = { 'gt.csv': 'image,mean,stdv\n' + Array.from({ length: 50 }, (_, i) => `${i}.jpg,${20 + i},3`).join('\n') };
    for (let i = 0; i < 50; i++) entries[`faces/${i}.jpg`] = '';
    const { paths, read } = files(entries);
    const a = assembleDataset(paths, read, { defaultStd: 3, validFraction: 0.3, seed: 7 });
    const b = assembleDataset(paths, read, { defaultStd: 3, validFraction: 0.3, seed: 7 });
    expect(a.format).toBe('chalearn');
    expect(a.samples).toHaveLength(50);
    expect(a.samples).toEqual(b.samples);
    const valid = a.samples.filter((s) => s.split === 'valid').length;
    expect(valid).toBeGreaterThan(5);
    expect(valid).toBeLessThan(25);
    expect(a.splitFrom).toBe('random');
  });

  it('reads UTKFace names when there is no CSV, with the default std', () => {
    const { paths, read } = files({ 'utk/26_0_2_20170104023102422.jpg.chip.jpg': '', 'utk/holiday.jpg': '' });
    const d = assembleDataset(paths, read, { defaultStd: 4, validFraction: 0, seed: 1 });
    expect(d.format).toBe('utkface');
    expect(d.samples).toEqual([{ path: 'utk/26_0_2_20170104023102422.jpg.chip.jpg', mean: 26, std: 4, stdGiven: false, split: 'train' }]);
    expect(d.issues.map((i) => i.source)).toEqual(['utk/holiday.jpg']);
  });

  it('skips a CSV with an unknown header and says so', () => {
    const { paths, read } = files({ 'other.csv': 'name,score\nx,1\n', 'labels.csv': 'file,age_mean,age_std\na.jpg,20,2\n', 'a.jpg': '' });
    const d = assembleDataset(paths, read);
    expect(d.labelsPath).toBe('labels.csv');
    expect(d.samples).toHaveLength(1);
    expect(d.issues).toEqual([{ source: 'other.csv', reason: 'another CSV (labels.csv) holds the labels: ignored' }]);
  });
});

describe('issuesCsv', () => {
  it('quotes cells with commas and quotes', () => {
    expect(issuesCsv([{ source: 'a,b.jpg', reason: 'said "no"' }])).toBe('source,reason\n"a,b.jpg","said ""no"""\n');
  });
});
