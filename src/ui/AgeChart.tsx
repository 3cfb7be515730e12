/**
 * The age distribution chart: the ensemble's distribution over ages 0..100, each member's in a
 * lighter tone, the expected age and ±1 std marked. Updated in place (no re-creation), so a live
 * camera feed does not flicker.
 */
import { useEffect, useRef } from 'react';
import {
  Chart,
  Filler,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  PointElement,
  Tooltip,
  type ChartDataset,
  type Plugin,
} from 'chart.js';
import { credibleInterval, type AgeSummary } from '../age/distribution';
import type { FaceResult } from '../worker/protocol';

Chart.register(LineController, LineElement, PointElement, LinearScale, Filler, Tooltip, Legend);

export const MEMBER_COLOURS = ['#8ecae6', '#b5c99a', '#f4a3a8', '#cdb4db'];
export const MAIN_COLOUR = '#e63946';
const LATEST_COLOUR = '#6c757d';

/** Draws the expected age (solid) and ±1 std band (shaded, dashed edges). */
const summaryMarks: Plugin<'line'> = {
  id: 'summaryMarks',
  afterDatasetsDraw(chart) {
    const marks = (chart.options.plugins as { summaryMarks?: { summary?: AgeSummary; colour?: string } }).summaryMarks;
    const summary = marks?.summary;
    if (!summary) return;
    const colour = marks.colour ?? MAIN_COLOUR;
    const { ctx, chartArea, scales } = chart;
    const x = (age: number) => scales.x.getPixelForValue(age);
    const lo = x(Math.max(0, summary.mean - summary.std));
    const hi = x(Math.min(100, summary.mean + summary.std));
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
    ctx.moveTo(x(summary.mean), chartArea.top);
    ctx.lineTo(x(summary.mean), chartArea.bottom);
    ctx.stroke();
    ctx.fillStyle = colour;
    ctx.font = `bold ${Math.max(12, Math.round(chartArea.height / 14))}px system-ui, sans-serif`;
    ctx.textAlign = 'center';
    ctx.fillText(`${summary.mean.toFixed(1)} ± ${summary.std.toFixed(1)}`, x(summary.mean), chartArea.top + Math.max(14, chartArea.height / 12));
    ctx.restore();
  },
};

/** Text grows with the chart, so a full-screen chart on a projector stays readable from afar. */
function scaleFonts(chart: Chart<'line', { x: number; y: number }[]>, width: number): void {
  const font = { size: Math.round(Math.max(11, Math.min(28, width / 60))) };
  const { x, y } = chart.options.scales as { x: { ticks: { font: object }; title: { font: object } }; y: { ticks: { font: object }; title: { font: object } } };
  x.ticks.font = y.ticks.font = x.title.font = y.title.font = font;
  chart.options.plugins!.legend!.labels!.font = font;
}

function points(distribution: Float32Array) {
  return Array.from(distribution, (p, age) => ({ x: age, y: p * 100 }));
}

function datasets(face: ChartFace, live: LiveCurves | undefined): ChartDataset<'line', { x: number; y: number }[]>[] {
  const colour = live?.colour ?? MAIN_COLOUR;
  return [
    {
      label: live ? 'Fused over the last frames' : 'Ensemble',
      data: points(face.distribution),
      borderColor: colour,
      backgroundColor: `${colour}40`,
      fill: 'origin',
      borderWidth: 3,
      pointRadius: 0,
      tension: 0.2,
      order: 0,
    },
    ...(live
      ? [
          {
            label: 'Latest frame',
            data: points(live.latest),
            borderColor: live.dark ? '#ced4da' : LATEST_COLOUR,
            backgroundColor: 'transparent',
            fill: false,
            borderWidth: 2,
            borderDash: [6, 4],
            pointRadius: 0,
            tension: 0.2,
            order: 1,
          },
        ]
      : face.members.map((m, k) => ({
      label: `${m.name} (weight ${m.weight.toFixed(2)})`,
      data: points(m.distribution),
      borderColor: MEMBER_COLOURS[k % MEMBER_COLOURS.length],
      backgroundColor: 'transparent',
      fill: false,
      borderWidth: 2,
      pointRadius: 0,
      tension: 0.2,
      order: 1 + k,
    }))),
  ];
}

/** What the chart draws: a distribution with its summary, and (photos) the members' curves. */
export type ChartFace = Pick<FaceResult, 'distribution' | 'summary' | 'members'>;

/** Live video: the chart's main curve is the fused distribution; the latest frame is drawn dashed. */
export interface LiveCurves {
  latest: Float32Array;
  /** Main curve colour (the face's box colour in conference mode). */
  colour?: string;
  /** Light text and grid on a dark background (conference mode). */
  dark?: boolean;
}

interface Props {
  face: ChartFace;
  /** Live camera: no animations, fused + latest curves instead of the members. */
  live?: LiveCurves;
  /** Accessible description; the default names expected age, spread and mode. */
  description?: string;
}

export function AgeChart({ face, live, description }: Props) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const chartRef = useRef<Chart<'line', { x: number; y: number }[]> | null>(null);
  const updates = useRef(0);

  useEffect(() => {
    const chart = new Chart<'line', { x: number; y: number }[]>(canvasRef.current!, {
      type: 'line',
      data: { datasets: [] },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        parsing: false,
        normalized: true,
        interaction: { mode: 'index', intersect: false },
        scales: {
          x: { type: 'linear', min: 0, max: 100, title: { display: true, text: 'apparent age (years)' }, ticks: { stepSize: 10 } },
          y: { beginAtZero: true, title: { display: true, text: 'probability (%)' } },
        },
        // Chart.js updates right after this callback, so the new sizes apply at once.
        onResize: (c, size) => scaleFonts(c as Chart<'line', { x: number; y: number }[]>, size.width),
        plugins: {
          legend: { position: 'bottom', labels: {} },
          tooltip: { callbacks: { title: (items) => `age ${items[0]?.parsed.x ?? ''}`, label: (item) => `${item.dataset.label}: ${(item.parsed.y ?? 0).toFixed(2)}%` } },
        },
      },
      plugins: [summaryMarks],
    });
    scaleFonts(chart, chart.width);
    chartRef.current = chart;
    return () => {
      chart.destroy();
      chartRef.current = null;
    };
  }, []);

  useEffect(() => {
    const chart = chartRef.current;
    if (!chart) return;
    chart.data.datasets = datasets(face, live);
    // Headroom above the highest curve for the "mean ± std" caption.
    const peak = Math.max(...chart.data.datasets.flatMap((d) => d.data.map((p) => p.y)));
    chart.options.scales!.y!.max = Math.ceil(peak * 1.3);
    (chart.options.plugins as { summaryMarks?: { summary: AgeSummary; colour?: string } }).summaryMarks = { summary: face.summary, colour: live?.colour };
    const ink = live?.dark ? '#e9ecef' : '#5b6775';
    const grid = live?.dark ? 'rgba(255,255,255,0.15)' : 'rgba(0,0,0,0.1)';
    for (const axis of [chart.options.scales!.x!, chart.options.scales!.y!]) {
      axis.ticks!.color = ink;
      (axis as { title: { color?: string } }).title.color = ink;
      axis.grid!.color = grid;
    }
    chart.options.plugins!.legend!.labels!.color = ink;
    chart.update(live ? 'none' : undefined);
    updates.current += 1;
    canvasRef.current?.parentElement?.setAttribute('data-updates', String(updates.current));
    // Keyed on the arrays, not the objects around them: a live view re-renders on every camera
    // frame, but the curves change only when a new age arrives.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [face.distribution, face.summary, live ? undefined : face.members, live?.latest, live?.colour, live?.dark]);

  const { low, high } = credibleInterval(face.distribution);
  const label =
    description ??
    `Age distribution: expected ${face.summary.mean.toFixed(1)} years, likely ${low} to ${high}, standard deviation ${face.summary.std.toFixed(1)}, most likely ${face.summary.mode}.`;
  return (
    <div className="age-chart" data-testid="age-chart" data-expected-age={face.summary.mean.toFixed(2)}>
      <canvas ref={canvasRef} role="img" aria-label={label} />
    </div>
  );
}
