/**
 * How an age distribution chart looks, on the page (AgeChart) and in exported images
 * (export/chartImage): the ensemble's curve in red, each member's in a lighter tone, the expected
 * age and ±1 std marked; live video draws the fused curve (in the face's colour) and the newest
 * frame's dashed instead of the members.
 */
import type { ChartDataset, Plugin } from 'chart.js';
import type { AgeSummary } from '../age/distribution';
import type { FaceResult } from '../worker/protocol';

export const MEMBER_COLOURS = ['#8ecae6', '#b5c99a', '#f4a3a8', '#cdb4db'];
export const MAIN_COLOUR = '#e63946';
const LATEST_COLOUR = '#6c757d';

export type AgePoint = { x: number; y: number };

/** What a chart draws: a distribution with its summary, and (photos) the members' curves. */
export type ChartFace = Pick<FaceResult, 'distribution' | 'summary' | 'members'>;

/** Live video: the main curve is the fused distribution; the latest frame is drawn dashed. */
export interface LiveCurves {
  latest: Float32Array;
  /** Main curve colour (the face's box colour in conference mode). */
  colour?: string;
  /** Light text and grid on a dark background (conference mode). */
  dark?: boolean;
}

/** Chart.js options.plugins key under which summaryMarks finds the summary to mark. */
export interface SummaryMarksOptions {
  summaryMarks?: { summary?: AgeSummary; colour?: string };
}

/** Draws the estimated age (solid) and ±1 std around it (shaded, dashed edges), captioned "age ± std". */
export const summaryMarks: Plugin<'line'> = {
  id: 'summaryMarks',
  afterDatasetsDraw(chart) {
    const marks = (chart.options.plugins as SummaryMarksOptions).summaryMarks;
    const summary = marks?.summary;
    if (!summary) return;
    const colour = marks.colour ?? MAIN_COLOUR;
    const { ctx, chartArea, scales } = chart;
    const x = (age: number) => scales.x.getPixelForValue(age);
    const lo = x(Math.max(0, summary.age - summary.std));
    const hi = x(Math.min(100, summary.age + summary.std));
    ctx.save();
    ctx.fillStyle = colour;
    ctx.globalAlpha = 0.08;
    ctx.fillRect(lo, chartArea.top, hi - lo, chartArea.bottom - chartArea.top);
    ctx.globalAlpha = 1;
    ctx.strokeStyle = colour;
    ctx.setLineDash([6, 4]);
    ctx.lineWidth = 1.5;
    for (const px of [lo, hi]) {
      ctx.beginPath();
      ctx.moveTo(px, chartArea.top);
      ctx.lineTo(px, chartArea.bottom);
      ctx.stroke();
    }
    ctx.setLineDash([]);
    ctx.lineWidth = 3;
    ctx.beginPath();
    ctx.moveTo(x(summary.age), chartArea.top);
    ctx.lineTo(x(summary.age), chartArea.bottom);
    ctx.stroke();
    ctx.fillStyle = colour;
    ctx.font = `bold ${Math.max(12, Math.round(chartArea.height / 14))}px system-ui, sans-serif`;
    ctx.textAlign = 'center';
    ctx.fillText(`${summary.age.toFixed(1)} ± ${summary.std.toFixed(1)}`, x(summary.age), chartArea.top + Math.max(14, chartArea.height / 12));
    ctx.restore();
  },
};

/** Probabilities in percent, one point per age. */
export function percentPoints(distribution: ArrayLike<number>): AgePoint[] {
  return Array.from(distribution, (p, age) => ({ x: age, y: p * 100 }));
}

const curve = { pointRadius: 0, tension: 0.2 } as const;

/** The main curve first (drawn on top), then each member labelled with its weight, or (live) the newest frame. */
export function ageChartDatasets(face: ChartFace, live?: LiveCurves): ChartDataset<'line', AgePoint[]>[] {
  const colour = live?.colour ?? MAIN_COLOUR;
  const main: ChartDataset<'line', AgePoint[]> = {
    ...curve,
    label: live ? 'Fused over the last frames' : 'Ensemble',
    data: percentPoints(face.distribution),
    borderColor: colour,
    backgroundColor: live ? `${colour}40` : 'rgba(230, 57, 70, 0.25)',
    fill: 'origin',
    borderWidth: 3,
    order: 0,
  };
  if (live) {
    return [
      main,
      { ...curve, label: 'Latest frame', data: percentPoints(live.latest), borderColor: live.dark ? '#ced4da' : LATEST_COLOUR, backgroundColor: 'transparent', fill: false, borderWidth: 2, borderDash: [6, 4], order: 1 },
    ];
  }
  return [
    main,
    ...face.members.map((m, k) => ({
      ...curve,
      label: `${m.name} (weight ${m.weight.toFixed(2)})`,
      data: percentPoints(m.distribution),
      borderColor: MEMBER_COLOURS[k % MEMBER_COLOURS.length],
      backgroundColor: 'transparent',
      fill: false,
      borderWidth: 2,
      order: 1 + k,
    })),
  ];
}

/** Top of the y axis: headroom above the highest curve for the "mean ± std" caption. */
export function yAxisMax(datasets: readonly ChartDataset<'line', AgePoint[]>[]): number {
  const peak = Math.max(...datasets.flatMap((d) => d.data.map((p) => p.y)));
  return Math.ceil(peak * 1.3);
}

/** The chart's text size: it grows with the chart, so a full-screen chart on a projector stays readable from afar. */
export function chartFontSize(width: number): number {
  return Math.round(Math.max(11, Math.min(28, width / 60)));
}

/**
 * How many characters of legend text fit on one line of a chart `width` px wide: chart.js does not
 * wrap legend items, it cuts them at the canvas edge (long member names on a phone). Allows for the
 * colour box and a generous average glyph width.
 */
export function legendChars(width: number, fontSize: number): number {
  return Math.max(12, Math.floor((width - 60) / (fontSize * 0.6)));
}

/** `text` cut to `maxChars` with "…", keeping a trailing "(…)" such as a member's weight. */
export function shortenLabel(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const suffix = /\s\([^()]*\)$/.exec(text)?.[0] ?? '';
  const room = Math.max(1, maxChars - suffix.length - 1);
  return `${text.slice(0, text.length - suffix.length).slice(0, room).trimEnd()}…${suffix}`;
}
