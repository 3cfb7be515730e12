/**
 * A webcam snapshot as a PNG: the frame as the visitor sees it (mirrored), the boxes and labels
 * in the faces' colours, and one chart per face (up to four) beside it, each titled like its box.
 */
import type { LiveFrame } from '../worker/livePipeline';
import type { FaceResult } from '../worker/protocol';
import { drawAgeChart } from './export/chartImage';
import { drawFaces } from './export/drawFaces';
import { MAX_LIVE_CHARTS } from './LiveCharts';
import { trackColour } from './trackColours';

/** The live faces that have an age, as photo-like results (fused estimate, latest members). */
export function snapshotFaces(frame: LiveFrame): { face: FaceResult; colour: string }[] {
  return frame.faces.flatMap((f) =>
    f.fused && f.latest
      ? [{ face: { box: f.box, points5: f.points5, distribution: f.fused.distribution, summary: f.fused.summary, members: f.latest.members }, colour: trackColour(f.trackId) }]
      : [],
  );
}

export async function snapshotPng(video: HTMLVideoElement, frame: LiveFrame): Promise<Blob> {
  const { width, height } = frame;
  const faces = snapshotFaces(frame);
  const charts = faces.slice(0, MAX_LIVE_CHARTS);
  const chartWidth = charts.length ? Math.round(width * 0.6) : 0;
  const chartHeight = charts.length ? Math.round(height / Math.max(2, charts.length)) : 0;
  const canvas = new OffscreenCanvas(width + chartWidth, Math.max(height, chartHeight * charts.length));
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('2D canvas is not available in this browser');
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  // Mirrored, as on screen: visitors expect to see themselves as in a mirror.
  ctx.save();
  ctx.translate(width, 0);
  ctx.scale(-1, 1);
  ctx.drawImage(video, 0, 0, width, height);
  ctx.restore();
  drawFaces(
    ctx,
    faces.map((f) => f.face),
    { width, height, mirrored: true, numbered: true, colourOf: (i) => faces[i].colour },
  );
  charts.forEach(({ face }, i) => {
    drawAgeChart(ctx, face, { x: width, y: i * chartHeight, width: chartWidth, height: chartHeight, title: `Face ${i + 1}`, background: '#fff' });
  });
  return canvas.convertToBlob({ type: 'image/png' });
}
