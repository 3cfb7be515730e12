/**
 * Where things go in an exported results image: the image at its own resolution on top, a grid
 * of up to four distribution charts below, a footer line saying what made it. Pure arithmetic.
 */

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface ResultsLayout {
  width: number;
  height: number;
  image: Rect;
  charts: Rect[];
  /** Faces without a chart (beyond the first MAX_CHARTS). */
  moreFaces: number;
  footer: Rect & { fontSize: number };
}

/** More charts would shrink each below reading size; the CSV/JSON hold every face. */
export const MAX_CHARTS = 4;
/** A small photo still gets charts wide enough to read. */
export const MIN_WIDTH = 720;

export function resultsLayout(imageWidth: number, imageHeight: number, faceCount: number): ResultsLayout {
  const width = Math.max(imageWidth, MIN_WIDTH);
  const chartCount = Math.min(faceCount, MAX_CHARTS);
  const columns = chartCount <= 1 ? 1 : 2;
  const rows = Math.ceil(chartCount / columns);
  const gap = Math.round(width / 80);
  const chartWidth = Math.floor((width - gap * (columns + 1)) / columns);
  // Wide and low like the page's chart panel, but not so low that the legend crowds the curves.
  const chartHeight = Math.round(chartWidth * (columns === 1 ? 0.45 : 0.6));
  const image = { x: Math.round((width - imageWidth) / 2), y: 0, width: imageWidth, height: imageHeight };
  const chartsTop = imageHeight + (chartCount > 0 ? gap : 0);
  const charts = Array.from({ length: chartCount }, (_, i) => ({
    x: gap + (i % columns) * (chartWidth + gap),
    y: chartsTop + Math.floor(i / columns) * (chartHeight + gap),
    width: chartWidth,
    height: chartHeight,
  }));
  const fontSize = Math.max(14, Math.round(width / 90));
  const footerTop = chartsTop + rows * (chartHeight + gap);
  const footer = { x: gap, y: footerTop, width: width - 2 * gap, height: Math.round(fontSize * 2), fontSize };
  return { width, height: footer.y + footer.height, image, charts, moreFaces: faceCount - chartCount, footer };
}
