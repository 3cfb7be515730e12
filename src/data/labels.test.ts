import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { labelsFromUtkFaceNames, parseLabelCsv, parseUtkFaceName } from './labels';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('parseLabelCsv', () => {
  it('reads the agedist format, keeps good rows and reports each bad one with its line', () => {
    const { format, rows, problems } = parseLabelCsv(fixture('agedist.csv'));
    expect(format).toBe('agedist');
    expect(rows).toEqual([
      { file: 'images/a.jpg', mean: 35, std: 4.6, split: 'train' },
      { file: 'images/b.jpg', mean: 20, split: 'valid' }, // empty std: no ε for this face
      { file: 'images/f,g.jpg', mean: 50, std: 5.5, split: 'valid' }, // quoted comma
    ]);
    expect(problems.map((p) => [p.line, p.reason])).toEqual([
      [4, 'age "abc" is not a number'],
      [5, 'no file name'],
      [6, 'age 130 is outside 0..100'],
      [7, 'std "-1" is not a number ≥ 0'],
    ]);
  });

  it("reads ChaLearn's image,mean,stdv with a BOM and CRLF line ends", () => {
    const { format, rows, problems } = parseLabelCsv(fixture('chalearn.csv'));
    expect(format).toBe('chalearn');
    expect(rows).toEqual([
      { file: '000001.jpg', mean: 24.3, std: 3.2 },
      { file: '000002.jpg', mean: 61, std: 7.05 },
    ]);
    expect(problems).toEqual([]);
  });

  it('rejects an unknown header with a message that names the expected ones', () => {
    expect(() => parseLabelCsv('name,age\nx.jpg,3\n')).toThrow(/file,age_mean,age_std or image,mean,stdv/);
  });
});

describe('UTKFace file names', () => {
  it('takes the age from the name, with or without folders and .chip.jpg', () => {
    expect(parseUtkFaceName('26_0_2_20170104023102422.jpg.chip.jpg')).toBe(26);
    expect(parseUtkFaceName('UTKFace/1_1_0_20161219140623097.jpg')).toBe(1);
    expect(parseUtkFaceName('116_0_0_20170120134921760.jpg')).toBeUndefined(); // beyond 100
    expect(parseUtkFaceName('61_1_20170109142408075.jpg')).toBeUndefined(); // a known malformed UTKFace name
  });

  it('lists names that are not UTKFace names as problems', () => {
    const { format, rows, problems } = labelsFromUtkFaceNames(['30_1_0_20170103.jpg', 'holiday.jpg']);
    expect(format).toBe('utkface');
    expect(rows).toEqual([{ file: '30_1_0_20170103.jpg', mean: 30 }]);
    expect(problems).toHaveLength(1);
  });
});
