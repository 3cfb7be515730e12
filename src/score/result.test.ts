import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { LabResult } from '../worker/labTypes';
import { checkImageBytes, errorLine, resultLine } from './result';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../e2e/fixtures/${name}`, import.meta.url)));

describe('checkImageBytes', () => {
  it('passes whole JPEG and PNG files', () => {
    expect(checkImageBytes(fixture('one-face.jpg'))).toBeUndefined();
    expect(checkImageBytes(fixture('sample1.jpg'))).toBeUndefined();
    expect(checkImageBytes(fixture('no-face.png'))).toBeUndefined();
  });

  it('names empty, truncated and non-image files', () => {
    const jpeg = fixture('one-face.jpg');
    const png = fixture('no-face.png');
    expect(checkImageBytes(new Uint8Array())).toMatch(/empty file/);
    expect(checkImageBytes(jpeg.subarray(0, jpeg.length / 2))).toMatch(/truncated JPEG/);
    expect(checkImageBytes(jpeg.subarray(0, 200))).toMatch(/truncated JPEG/);
    expect(checkImageBytes(png.subarray(0, png.length - 20))).toMatch(/truncated PNG/);
    expect(checkImageBytes(new TextEncoder().encode('hello, I am text\n'))).toMatch(/not a JPEG, PNG or WebP/);
  });

  it('checks the RIFF size of a WebP', () => {
    const webp = new Uint8Array(30);
    webp.set([0x52, 0x49, 0x46, 0x46, 22, 0, 0, 0, 0x57, 0x45, 0x42, 0x50]);
    expect(checkImageBytes(webp)).toBeUndefined();
    expect(checkImageBytes(webp.subarray(0, 20))).toMatch(/truncated WebP/);
  });
});

describe('result lines', () => {
  const distribution = Array.from({ length: 101 }, (_, i) => (i === 30 ? 0.5 : i === 31 ? 0.3 : i === 29 ? 0.2 : 0));
  const lab: LabResult = {
    width: 640,
    height: 480,
    timings: {} as LabResult['timings'],
    faces: [
      {
        box: { x: 10.123456, y: 20, width: 100, height: 120.5 },
        points5: [[1.23456, 2], [3, 4], [5, 6], [7, 8], [9, 10]],
        age: 30.012345678,
        median: 30.012345678,
        mean: 30.123456789,
        std: 0.7,
        distribution,
        members: [
          { id: 'a', age: 29.987654321, median: 29.987654321, mean: 30.1, std: 1, distribution },
          { id: 'b', age: 31, median: 31, mean: 31.2, std: 2, distribution },
        ],
      },
    ],
  };

  it('shapes a face: estimated age, std, mode, members, rounded', () => {
    const line = resultLine('x/y.jpg', lab);
    expect(line).toEqual({
      file: 'x/y.jpg',
      width: 640,
      height: 480,
      faces: [{ box: { x: 10.12, y: 20, width: 100, height: 120.5 }, points5: [[1.23, 2], [3, 4], [5, 6], [7, 8], [9, 10]], age: 30.0123, std: 0.7, mode: 30, members: { a: 29.9877, b: 31 } }],
    });
  });

  it('adds the 101 probabilities with --distribution', () => {
    const line = resultLine('y.jpg', lab, { distribution: true });
    expect('faces' in line && line.faces[0].distribution).toHaveLength(101);
  });

  it('keeps the first line of an error message', () => {
    expect(errorLine('a.jpg', new Error('cannot decode image: bad\n    at stack'))).toEqual({ file: 'a.jpg', error: 'cannot decode image: bad' });
    expect(errorLine('a.jpg', '')).toEqual({ file: 'a.jpg', error: 'unknown error' });
  });
});
