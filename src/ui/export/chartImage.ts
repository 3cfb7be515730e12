/**
 * One face's age distribution chart drawn into any 2D context (an export canvas), through a
 * throw-away Chart.js chart on an OffscreenCanvas: no element on the page, no animation, nothing
 * resized later; the chart is destroyed once copied.
 */
import { BasicPlatform, Chart, Filler, Legend, LineController, LineElement, LinearScale, PointElement, Title, type ChartOptions } from 'chart.js';
import type { FaceResult } from '../../worker/protocol';
import { ageChartDatasets, summaryMarks, yAxisMax, type AgePoint, type SummaryMarksOptions } from '../chartStyle';
import type { Canvas2D } from './drawFaces';

Chart.register(LineController, LineElement, PointElement, LinearScale, Filler, Legend, Title);

/** Charts are laid out at most this wide and scaled up, so their text stays readable when large. */
const LAYOUT_WIDTH = 640;

export interface ChartImageOptions {
  /** Where the chart goes on the target context, in its pixels. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** Shown above the chart, e.g. "Face 1: ≈ 34 (±5)". */
  title?: string;
  /** Filled behind the chart; charts are transparent otherwise. */
  background?: string;
}

export function drawAgeChart(target: Canvas2D, face: FaceResult, options: ChartImageOptions): void {
  const { x, y, width, height, title, background = '#fff' } = options;
  const scale = Math.max(1, width / LAYOUT_WIDTH);
  const canvas = new OffscreenCanvas(Math.round(width / scale), Math.round(height / scale));
  const datasets = ageChartDatasets(face);
  const marks: SummaryMarksOptions = { summaryMarks: { summary: face.summary } };
  const plugins: ChartOptions<'line'>['plugins'] = {
    legend: { position: 'bottom' },
    title: { display: title !== undefined, text: title, font: { size: 16, weight: 'bold' } },
    ...marks,
  };
  // Chart.js types its item as an HTML canvas, but its BasicPlatform only asks for getContext('2d').
  const chart = new Chart<'line', AgePoint[]>(canvas as unknown as HTMLCanvasElement, {
    type: 'line',
    data: { datasets },
    // Drawn synchronously in the constructor: no animation, no DOM size to watch.
    platform: BasicPlatform,
    options: {
      animation: false,
      responsive: false,
      maintainAspectRatio: false,
      devicePixelRatio: scale,
      parsing: false,
      normalized: true,
      events: [],
      scales: {
        x: { type: 'linear', min: 0, max: 100, title: { display: true, text: 'apparent age (years)' }, ticks: { stepSize: 10 } },
        y: { beginAtZero: true, max: yAxisMax(datasets), title: { display: true, text: 'probability (%)' } },
      },
      plugins,
    },
    plugins: [summaryMarks],
  });
  try {
    target.save();
    target.fillStyle = background;
    target.fillRect(x, y, width, height);
    target.drawImage(canvas, x, y, width, height);
    target.restore();
  } finally {
    chart.destroy();
  }
}
