import { describe, expect, it } from 'vitest';
import { FACE_DETECTOR_ENTRY, FACE_LANDMARKS_ENTRY, buildFaceLandmarkerTask } from './taskBundle';

interface LocalEntry {
  name: string;
  method: number;
  dosTime: number;
  dosDate: number;
  data: Uint8Array;
}

/** Walks the zip's local file headers (PKWARE APPNOTE 4.3.7) front to back. */
function localEntries(zip: Uint8Array): LocalEntry[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const entries: LocalEntry[] = [];
  let p = 0;
  while (view.getUint32(p, true) === 0x04034b50) {
    const size = view.getUint32(p + 18, true);
    const nameLen = view.getUint16(p + 26, true);
    const extraLen = view.getUint16(p + 28, true);
    const start = p + 30 + nameLen + extraLen;
    entries.push({
      name: new TextDecoder().decode(zip.subarray(p + 30, p + 30 + nameLen)),
      method: view.getUint16(p + 8, true),
      dosTime: view.getUint16(p + 10, true),
      dosDate: view.getUint16(p + 12, true),
      data: zip.subarray(start, start + size),
    });
    p = start + size;
  }
  return entries;
}

describe('buildFaceLandmarkerTask', () => {
  const detector = new Uint8Array([1, 2, 3]);
  const landmarks = new Uint8Array(1000).map((_, i) => i & 255);
  const task = buildFaceLandmarkerTask(detector, landmarks);

  it('stores the two models uncompressed under the names FaceLandmarker expects', () => {
    const entries = localEntries(task);
    expect(entries.map((e) => e.name)).toEqual([FACE_DETECTOR_ENTRY, FACE_LANDMARKS_ENTRY]);
    expect(entries.map((e) => e.method)).toEqual([0, 0]); // 0 = stored
    expect(entries[0].data).toEqual(detector);
    expect(entries[1].data).toEqual(landmarks);
  });

  it('is byte-for-byte reproducible with a fixed 1980-01-01 timestamp', () => {
    for (const e of localEntries(task)) expect([e.dosDate, e.dosTime]).toEqual([(0 << 9) | (1 << 5) | 1, 0]);
    expect(buildFaceLandmarkerTask(detector, landmarks)).toEqual(task);
  });
});
