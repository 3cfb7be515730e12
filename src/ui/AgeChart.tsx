/**
 * The age distribution chart: the ensemble's distribution over ages 0..100, each member's in a
 * lighter tone, the estimated age and ±1 std marked. Updated in place (no re-creation), so a live
 * camera feed does not flicker.
 */
import { useEffect, useRef } from 'react';
import type { Chart } from 'chart.js';
import { credibleInterval } from '../age/distribution';
import { ageChartDatasets, chartFontSize, legendChars, shortenLabel, summaryMarks, yAxisMax, type ChartFace, type LiveCurves, type SummaryMarksOptions } from './chartStyle';

export type { ChartFace, LiveCurves };

type LineChart = Chart<'line', { x: number; y: number }[]>;

function scaleFonts(chart: LineChart, width: number): void {
  const font = { size: chartFontSize(width) };
  const { x, y } = chart.options.scales as { x: { ticks: { font: object }; title: { font: object } }; y: { ticks: { font: object }; title: { font: object } } };
  x.ticks.font = y.ticks.font = x.title.font = y.title.font = font;
  chart.options.plugins!.legend!.labels!.font = font;
}

interface Props {
  face: ChartFace;
  /** Live camera: no animations, fused + latest curves instead of the members. */
  live?: LiveCurves;
  /** Accessible description; the default names the estimated age, spread and mode. */
  description?: string;
}

/** The system's reduced-motion setting, read at each redraw: a change applies from the next one. */
function prefersReducedMotion(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}

/** Puts a face's curves, summary marks and colours on the chart and redraws it. */
function show(chart: LineChart, face: ChartFace, live: LiveCurves | undefined): void {
  chart.data.datasets = ageChartDatasets(face, live);
  chart.options.scales!.y!.max = yAxisMax(chart.data.datasets);
  (chart.options.plugins as SummaryMarksOptions).summaryMarks = { summary: face.summary, colour: live?.colour };
  const ink = live?.dark ? '#e9ecef' : '#5b6775';
  const grid = live?.dark ? 'rgba(255,255,255,0.15)' : 'rgba(0,0,0,0.1)';
  for (const axis of [chart.options.scales!.x!, chart.options.scales!.y!]) {
    axis.ticks!.color = ink;
    (axis as { title: { color?: string } }).title.color = ink;
    axis.grid!.color = grid;
  }
  chart.options.plugins!.legend!.labels!.color = ink;
  // Photos animate to the new curves; the live camera (a new curve every few frames) and visitors
  // who asked their system for reduced motion get them at once.
  chart.update(live || prefersReducedMotion() ? 'none' : undefined);
}

export function AgeChart({ face, live, description }: Props) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const chartRef = useRef<LineChart | null>(null);
  const updates = useRef(0);
  // What the chart should show now, for the chart that is created after chart.js has loaded.
  const latest = useRef({ face, live });
  useEffect(() => {
    latest.current = { face, live };
  });

  const redraw = (chart: LineChart) => {
    show(chart, latest.current.face, latest.current.live);
    updates.current += 1;
    canvasRef.current?.parentElement?.setAttribute('data-updates', String(updates.current));
  };

  useEffect(() => {
    let chart: LineChart | undefined;
    let unmounted = false;
    void import('./chartJs').then(({ Chart }) => {
      if (unmounted || !canvasRef.current) return;
      chart = new Chart<'line', { x: number; y: number }[]>(canvasRef.current, {
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
            legend: {
              position: 'bottom',
              labels: {
                // Names too long for a narrow chart are shortened rather than cut at the edge.
                generateLabels: (c) => {
                  const chars = legendChars(c.width, chartFontSize(c.width));
                  return Chart.defaults.plugins.legend.labels.generateLabels(c).map((item) => ({ ...item, text: shortenLabel(item.text, chars) }));
                },
              },
            },
            tooltip: { callbacks: { title: (items) => `age ${items[0]?.parsed.x ?? ''}`, label: (item) => `${item.dataset.label}: ${(item.parsed.y ?? 0).toFixed(2)}%` } },
          },
        },
        plugins: [summaryMarks],
      });
      scaleFonts(chart, chart.width);
      chartRef.current = chart;
      redraw(chart);
    });
    return () => {
      unmounted = true;
      chart?.destroy();
      chartRef.current = null;
    };
    // Created once; redraw reads the newest props from `latest`.
  }, []);

  useEffect(() => {
    if (chartRef.current) redraw(chartRef.current);
    // Keyed on the arrays, not the objects around them: a live view re-renders on every camera
    // frame, but the curves change only when a new age arrives.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [face.distribution, face.summary, live ? undefined : face.members, live?.latest, live?.colour, live?.dark]);

  const { low, high } = credibleInterval(face.distribution);
  const label =
    description ??
    `Age distribution: about ${face.summary.age.toFixed(1)} years, likely ${low} to ${high}, standard deviation ${face.summary.std.toFixed(1)}, most likely ${face.summary.mode}.`;
  return (
    <div className="age-chart" data-testid="age-chart" data-age={face.summary.mean.toFixed(2)}>
      <canvas ref={canvasRef} role="img" aria-label={label} />
    </div>
  );
}
