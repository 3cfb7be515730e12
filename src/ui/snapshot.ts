/**
 * Webcam snapshots: the live frame's faces as photo-like results (the fused estimate, the latest
 * frame's members), and the PNG the S key saves: the frame as the visitor sees it (mirrored),
 * boxes in the faces' track colours, and one chart per face, as a photo's PNG export.
 */
import type { LiveFrame } from '../worker/liveTypes';
import type { FaceResult } from '../worker/protocol';
import type { ExportInfo } from './export/ExportButtons';
import type { ResultsImageOptions } from './export/resultsImage';
import { trackColour } from './trackColours';

export function snapshotFaces(frame: LiveFrame): { faces: FaceResult[]; imageOptions: ResultsImageOptions } {
  const live = frame.faces.filter((f) => f.fused && f.latest);
  const faces = live.map((f) => ({ box: f.box, points5: f.points5, distribution: f.fused!.distribution, summary: f.fused!.summary, members: f.latest!.members }));
  return { faces, imageOptions: { mirrored: true, colourOf: (i) => trackColour(live[i].trackId) } };
}

/** "webcam 2026-11-30 16-05-12": names the snapshot's files. */
export function snapshotName(at = new Date()): string {
  return `webcam ${at.toISOString().slice(0, 19).replace('T', ' ').replace(/:/g, '-')}`;
}

export async function snapshotPng(video: HTMLVideoElement, frame: LiveFrame, info: ExportInfo, source: string): Promise<Blob> {
  const { faces, imageOptions } = snapshotFaces(frame);
  const image = await createImageBitmap(video);
  try {
    const { resultsPng } = await import('./export/resultsImage'); // brings chart.js, off the start path
    return await resultsPng(image, faces, { source, width: frame.width, height: frame.height, ...info, createdAt: new Date() }, imageOptions);
  } finally {
    image.close();
  }
}
