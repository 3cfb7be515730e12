/**
 * Conference mode's side column: one chart per tracked face (up to four), in the colour of the
 * face's box, with the estimated age in large type and a one-sentence explanation of the chart.
 */
import { credibleInterval } from '../age/distribution';
import type { LiveFace } from '../worker/liveTypes';
import { AgeChart } from './AgeChart';
import { spokenAge } from './format';
import { trackColour } from './trackColours';

export const MAX_LIVE_CHARTS = 4;

export function LiveCharts({ faces }: { faces: readonly LiveFace[] }) {
  const shown = faces.slice(0, MAX_LIVE_CHARTS);
  return (
    <aside className="live-charts" data-testid="live-charts" aria-label="Age distribution of each face">
      {shown.map((face, i) => {
        const colour = trackColour(face.trackId);
        if (!face.fused || !face.latest) {
          return (
            <section key={face.trackId} className="live-chart pending" style={{ borderColor: colour }}>
              <h2 style={{ color: colour }}>Face {i + 1}</h2>
              <p>Estimating…</p>
            </section>
          );
        }
        const { summary, distribution } = face.fused;
        const interval = credibleInterval(distribution);
        return (
          <section key={face.trackId} className="live-chart" style={{ borderColor: colour }} data-testid="live-chart" data-track-id={face.trackId}>
            <h2 style={{ color: colour }}>
              Face {i + 1} <span className="live-age">≈ {Math.round(summary.age)}</span>
              <span className="live-range">
                likely {interval.low}–{interval.high}
              </span>
            </h2>
            <AgeChart
              face={{ distribution, summary, members: [] }}
              live={{ latest: face.latest.distribution, colour, dark: true }}
              description={`${spokenAge(`Face ${i + 1}`, summary, interval)}. The filled curve is the estimate over the last seconds, the dashed one the latest frame.`}
            />
          </section>
        );
      })}
      {faces.length === 0 && <p className="live-empty">Step in front of the camera.</p>}
      <p className="chart-meaning">
        <strong>What this chart means:</strong> for every age from 0 to 100, how likely it is that this face <em>looks</em> that old to people — the
        filled curve gathers the last few seconds, the dashed one is the newest frame.
      </p>
    </aside>
  );
}
