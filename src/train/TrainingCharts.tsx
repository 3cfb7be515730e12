/**
 * Live training charts: KL per training step and per epoch on validation, and validation MAE
 * and ε per epoch. Charts are created once and updated in place (no animation), so frequent
 * updates stay cheap for the page's thread.
 */
import { useEffect, useRef } from 'react';
import { CategoryScale, Chart, Legend, LineController, LineElement, LinearScale, PointElement, Tooltip } from 'chart.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Tooltip, Legend);

export interface StepPoint {
  step: number;
  kl: number;
}
export interface EpochPoint {
  step: number;
  epoch: number;
  member: string;
  trainKl: number;
  validKl: number;
  validMae: number;
  validEpsilon: number;
}

type LineChart = Chart<'line', { x: number; y: number }[]>;

const common = { animation: false as const, responsive: true, maintainAspectRatio: false, parsing: false as const, normalized: true };

export function TrainingCharts({ steps, epochs }: { steps: StepPoint[]; epochs: EpochPoint[] }) {
  const lossCanvas = useRef<HTMLCanvasElement>(null);
  const metricCanvas = useRef<HTMLCanvasElement>(null);
  const loss = useRef<LineChart | null>(null);
  const metrics = useRef<LineChart | null>(null);
  useEffect(() => {
    loss.current = new Chart(lossCanvas.current!, {
      type: 'line',
      data: { datasets: [
        { label: 'train KL (per step)', data: [], borderColor: '#8ecae6', pointRadius: 0, borderWidth: 1.5 },
        { label: 'valid KL (per epoch)', data: [], borderColor: '#e63946', pointRadius: 3, borderWidth: 2 },
      ] },
      options: { ...common, scales: { x: { type: 'linear', title: { display: true, text: 'training step' } }, y: { title: { display: true, text: 'KL' } } } },
    });
    metrics.current = new Chart(metricCanvas.current!, {
      type: 'line',
      data: { datasets: [
        { label: 'valid MAE (years)', data: [], borderColor: '#2a9d8f', pointRadius: 3, yAxisID: 'mae' },
        { label: 'valid ε-error', data: [], borderColor: '#e76f51', pointRadius: 3, yAxisID: 'eps' },
      ] },
      options: { ...common, scales: { x: { type: 'linear', title: { display: true, text: 'epoch (all members in turn)' }, ticks: { precision: 0 } }, mae: { position: 'left', title: { display: true, text: 'MAE' } }, eps: { position: 'right', title: { display: true, text: 'ε' }, grid: { drawOnChartArea: false } } } },
    });
    return () => {
      loss.current?.destroy();
      metrics.current?.destroy();
    };
  }, []);

  useEffect(() => {
    if (!loss.current || !metrics.current) return;
    loss.current.data.datasets[0].data = steps.map((s) => ({ x: s.step, y: s.kl }));
    loss.current.data.datasets[1].data = epochs.map((e) => ({ x: e.step, y: e.validKl }));
    loss.current.update('none');
    metrics.current.data.datasets[0].data = epochs.map((e, i) => ({ x: i + 1, y: e.validMae }));
    metrics.current.data.datasets[1].data = epochs.map((e, i) => ({ x: i + 1, y: e.validEpsilon }));
    metrics.current.update('none');
  }, [steps, epochs]);

  return (
    <div className="training-charts">
      <div className="training-chart" data-testid="loss-chart" data-points={steps.length}>
        <canvas ref={lossCanvas} />
      </div>
      <div className="training-chart" data-testid="metric-chart" data-points={epochs.length} data-epochs={JSON.stringify(epochs.map((e) => ({ member: e.member, epoch: e.epoch, trainKl: e.trainKl })))}>
        <canvas ref={metricCanvas} />
      </div>
    </div>
  );
}
