/**
 * Face boxes and age labels drawn on a canvas, looking like FaceOverlay's SVG (same sizes, the
 * colours of styles.css), for images that leave the page: exported photos, webcam snapshots.
 * Draws in the image's own pixel coordinates; translate or scale the context to place it.
 */
import type { FaceResult } from '../../worker/protocol';
import { ageLabel } from '../format';

export type Canvas2D = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

export interface FaceColours {
  box: string;
  selectedBox: string;
  labelBackground: string;
  labelText: string;
}

/** As in styles.css: `.face rect`, `.face.selected rect` (--accent), `.label-bg`, `.face text`. */
export const OVERLAY_COLOURS: FaceColours = {
  box: '#f1c453',
  selectedBox: '#e63946',
  labelBackground: 'rgba(29, 39, 51, 0.85)',
  labelText: '#fff',
};

export interface DrawFacesOptions {
  /** Size of the image the boxes are given in; line width, font size and mirroring follow it. */
  width: number;
  height: number;
  /** Mirror the boxes horizontally (a selfie view drawn mirrored); labels stay readable. */
  mirrored?: boolean;
  /** This face's box is drawn in the accent colour, twice as thick. */
  selected?: number;
  /** Prefix labels with the face's number ("2: ≈ 34 (±5)"), to match charts titled "Face 2". */
  numbered?: boolean;
  colours?: Partial<FaceColours>;
  /** A face's own box colour (live video: the colour of its track and chart). */
  colourOf?: (index: number) => string | undefined;
}

/** FaceOverlay's sizes: lines and text grow with the image, so they read the same at any size. */
export function overlaySizes(width: number, height: number): { stroke: number; fontSize: number } {
  const side = Math.max(width, height);
  return { stroke: Math.max(2, Math.round(side / 300)), fontSize: Math.max(14, Math.round(side / 32)) };
}

export function faceLabel(face: FaceResult, index: number, numbered = false): string {
  return numbered ? `${index + 1}: ${ageLabel(face.summary)}` : ageLabel(face.summary);
}

export function drawFaces(ctx: Canvas2D, faces: readonly FaceResult[], options: DrawFacesOptions): void {
  const { width, height, mirrored = false, selected, numbered = false } = options;
  const colours = { ...OVERLAY_COLOURS, ...options.colours };
  const { stroke, fontSize } = overlaySizes(width, height);
  ctx.save();
  ctx.font = `700 ${fontSize}px system-ui, sans-serif`;
  ctx.textBaseline = 'alphabetic';
  ctx.textAlign = 'left';
  // Selected last, so its box is on top where boxes overlap.
  const order = faces.map((_, i) => i).sort((a, b) => Number(a === selected) - Number(b === selected));
  for (const i of order) {
    const face = faces[i];
    const { y, width: w, height: h } = face.box;
    const x = mirrored ? width - face.box.x - w : face.box.x;
    const isSelected = i === selected;
    const lineWidth = isSelected ? stroke * 2 : stroke;
    ctx.strokeStyle = isSelected ? colours.selectedBox : (options.colourOf?.(i) ?? colours.box);
    ctx.lineWidth = lineWidth;
    ctx.strokeRect(x, y, w, h);

    const label = faceLabel(face, i, numbered);
    // Measured rather than FaceOverlay's 0.62 em per character: a canvas can, and a label cut at
    // the image's edge is lost in a file (the SVG overlay may spill over the card).
    const labelWidth = ctx.measureText(label).width + fontSize * 0.6;
    const labelX = Math.max(0, Math.min(x, width - labelWidth));
    const labelY = Math.max(0, y - fontSize * 1.5);
    ctx.fillStyle = colours.labelBackground;
    ctx.beginPath();
    ctx.roundRect(labelX, labelY, labelWidth, fontSize * 1.4, fontSize * 0.2);
    ctx.fill();
    ctx.fillStyle = colours.labelText;
    ctx.fillText(label, labelX + fontSize * 0.3, labelY + fontSize * 1.05);
  }
  ctx.restore();
}
