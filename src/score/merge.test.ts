import { describe, expect, it } from 'vitest';
import { toCsv } from './csv';
import { mergeResults } from './merge';
import type { ResultLine } from './result';

const face = (age: number) => ({ box: { x: 1, y: 2, width: 3, height: 4 }, points5: [] as [number, number][], age, std: 5, mode: Math.round(age), members: { m1: age - 1, m2: age + 1 } });

describe('mergeResults', () => {
  it('keeps every file once, the first result, a success over an error, sorted', () => {
    const lines: ResultLine[] = [
      { file: 'b.jpg', width: 1, height: 1, faces: [face(20)] },
      { file: 'a.jpg', error: 'pipeline failed' },
      { file: 'b.jpg', width: 1, height: 1, faces: [face(99)] },
      { file: 'a.jpg', width: 2, height: 2, faces: [] },
      { file: 'a.jpg', error: 'later error' },
      { file: 'c.jpg', error: 'not a JPEG' },
    ];
    expect(mergeResults(lines)).toEqual([
      { file: 'a.jpg', width: 2, height: 2, faces: [] },
      { file: 'b.jpg', width: 1, height: 1, faces: [face(20)] },
      { file: 'c.jpg', error: 'not a JPEG' },
    ]);
  });
});

describe('toCsv', () => {
  it('writes a row per face, one for a photo without faces and one per error', () => {
    const csv = toCsv([
      { file: 'a.jpg', width: 10, height: 20, faces: [face(30), face(40)] },
      { file: 'empty, "odd".jpg', width: 5, height: 5, faces: [] },
      { file: 'bad.jpg', error: 'truncated JPEG' },
    ]).split('\n');
    expect(csv[0]).toBe('file,width,height,faces,face,age,std,mode,box_x,box_y,box_width,box_height,age_m1,age_m2,error');
    expect(csv[1]).toBe('a.jpg,10,20,2,1,30,5,30,1,2,3,4,29,31,');
    expect(csv[2]).toBe('a.jpg,10,20,2,2,40,5,40,1,2,3,4,39,41,');
    expect(csv[3]).toBe('"empty, ""odd"".jpg",5,5,0,,,,,,,,,,,');
    expect(csv[4]).toBe('bad.jpg,,,,,,,,,,,,,,truncated JPEG');
    expect(csv.slice(1, 5).every((row) => row.replace(/"[^"]*(""[^"]*)*"/g, 'x').split(',').length === 15)).toBe(true);
  });

  it('adds p0..p100 when the lines carry distributions', () => {
    const header = toCsv([{ file: 'a.jpg', width: 1, height: 1, faces: [{ ...face(3), distribution: Array(101).fill(0) }] }]).split('\n')[0];
    expect(header.split(',')).toContain('p100');
  });
});
