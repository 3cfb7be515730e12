/**
 * How an age distribution chart looks: the ensemble's curve in red, each member's in a lighter
 * tone, the expected age and ±1 std marked. The same choices as AgeChart.tsx (which keeps its own
 * copy for now: it is being rewritten; it can import these once that lands), so an exported chart
 * looks like the one on the page.
 */
import type { ChartDataset, Plugin } from 'chart.js';
import type { AgeSummary } from '../../age/distribution';
import type { FaceResult } from '../../worker/protocol';

export const MEMBER_COLOURS = ['#8ecae6', '#b5c99a', '#f4a3a8', '#cdb4db'];
export const MAIN_COLOUR = '#e63946';

export type AgePoint = { x: number; y: number };

/** Chart.js options.plugins key under which summaryMarks finds the summary to mark. */
export interface SummaryMarksOptions {
  summaryMarks?: { summary?: AgeSummary };
}

/** Draws the expected age (solid) and ±1 std band (shaded, dashed edges), captioned "mean ± std". */
export const summaryMarks: Plugin<'line'> = {
  id: 'summaryMarks',
  afterDatasetsDraw(chart) {
    const summary = (chart.options.plugins as SummaryMarksOptions).summaryMarks?.summary;
    if (!summary) return;
    const { ctx, chartArea, scales } = chart;
    const x = (age: number) => scales.x.getPixelForValue(age);
    const lo = x(Math.max(0, summary.mean - summary.std));
    const hi = x(Math.min(100, summary.mean + summary.std));
    ctx.save();
    ctx.fillStyle = 'rgba(230, 57, 70, 0.08)';
    ctx.fillRect(lo, chartArea.top, hi - lo, chartArea.bottom - chartArea.top);
    ctx.strokeStyle = MAIN_COLOUR;
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
    ctx.moveTo(x(summary.mean), chartArea.top);
    ctx.lineTo(x(summary.mean), chartArea.bottom);
    ctx.stroke();
    ctx.fillStyle = MAIN_COLOUR;
    ctx.font = `bold ${Math.max(12, Math.round(chartArea.height / 14))}px system-ui, sans-serif`;
    ctx.textAlign = 'center';
    ctx.fillText(`${summary.mean.toFixed(1)} ± ${summary.std.toFixed(1)}`, x(summary.mean), chartArea.top + Math.max(14, chartArea.height / 12));
    ctx.restore();
  },
};

/** Probabilities in percent, one point per age. */
export function percentPoints(distribution: ArrayLike<number>): AgePoint[] {
  return Array.from(distribution, (p, age) => ({ x: age, y: p * 100 }));
}

/** The ensemble first (drawn on top), then each member labelled with its weight. */
export function ageChartDatasets(face: FaceResult): ChartDataset<'line', AgePoint[]>[] {
  return [
    {
      label: 'Ensemble',
      data: percentPoints(face.distribution),
      borderColor: MAIN_COLOUR,
      backgroundColor: 'rgba(230, 57, 70, 0.25)',
      fill: 'origin',
      borderWidth: 3,
      pointRadius: 0,
      tension: 0.2,
      order: 0,
    },
    ...face.members.map((m, k) => ({
      label: `${m.name} (weight ${m.weight.toFixed(2)})`,
      data: percentPoints(m.distribution),
      borderColor: MEMBER_COLOURS[k % MEMBER_COLOURS.length],
      backgroundColor: 'transparent',
      fill: false,
      borderWidth: 2,
      pointRadius: 0,
      tension: 0.2,
      order: 1 + k,
    })),
  ];
}

/** Top of the y axis: headroom above the highest curve for the "mean ± std" caption. */
export function yAxisMax(datasets: readonly ChartDataset<'line', AgePoint[]>[]): number {
  const peak = Math.max(...datasets.flatMap((d) => d.data.map((p) => p.y)));
  return Math.ceil(peak * 1.3);
}
