/**
 * The PNG export: the analysed image with its numbered face boxes and labels, one distribution
 * chart per face below (up to four), and a footer naming the source, models and backend.
 * Works for any image source (a photo's bitmap, a video frame), so snapshots can use it too.
 */
import type { FaceResult } from '../../worker/protocol';
import { ageLabel } from '../format';
import { drawAgeChart } from './chartImage';
import { drawFaces } from './drawFaces';
import type { ExportContext } from './results';
import { resultsLayout } from './resultsLayout';

export interface ResultsImageOptions {
  /** Draw the image and boxes mirrored (a selfie camera view). */
  mirrored?: boolean;
  /** A face's own box colour (webcam snapshots: its track colour). */
  colourOf?: (index: number) => string | undefined;
}

/** `context.width`/`height` are the image's size, which the face boxes are given in. */
export function renderResultsImage(image: CanvasImageSource, faces: readonly FaceResult[], context: ExportContext, options: ResultsImageOptions = {}): OffscreenCanvas {
  const { mirrored = false, colourOf } = options;
  const layout = resultsLayout(context.width, context.height, faces.length);
  const canvas = new OffscreenCanvas(layout.width, layout.height);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('This browser cannot draw the image (no 2D canvas).');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, layout.width, layout.height);

  ctx.save();
  ctx.translate(layout.image.x, layout.image.y);
  if (mirrored) {
    ctx.save();
    ctx.translate(layout.image.width, 0);
    ctx.scale(-1, 1);
    ctx.drawImage(image, 0, 0, layout.image.width, layout.image.height);
    ctx.restore();
  } else {
    ctx.drawImage(image, 0, 0, layout.image.width, layout.image.height);
  }
  drawFaces(ctx, faces, { width: context.width, height: context.height, mirrored, numbered: faces.length > 1, colourOf });
  ctx.restore();

  layout.charts.forEach((rect, i) => drawAgeChart(ctx, faces[i], { ...rect, title: `Face ${i + 1}: ${ageLabel(faces[i].summary)}` }));

  const { footer } = layout;
  const parts = [
    context.source,
    faces.length === 1 ? '1 face' : `${faces.length} faces`,
    layout.moreFaces > 0 ? `charts for the first ${layout.charts.length}, all in the CSV/JSON` : '',
    `models: ${context.ensembleName}${context.ensembleVersion ? ` (${context.ensembleVersion})` : ''}`,
    `backend: ${context.backend}`,
    `agedist, ${(context.createdAt ?? new Date()).toISOString().slice(0, 10)}`,
  ].filter(Boolean);
  ctx.fillStyle = '#5b6775';
  ctx.font = `${footer.fontSize}px system-ui, sans-serif`;
  ctx.textBaseline = 'middle';
  ctx.fillText(parts.join(' · '), footer.x, footer.y + footer.height / 2, footer.width);
  return canvas;
}

export function resultsPng(image: CanvasImageSource, faces: readonly FaceResult[], context: ExportContext, options: ResultsImageOptions = {}): Promise<Blob> {
  return renderResultsImage(image, faces, context, options).convertToBlob({ type: 'image/png' });
}
