/**
 * The chart side of the page: the selected face's age distribution (a photo's, or the camera's
 * fused one with the newest frame dashed), a button to show it full screen on a projector, or what
 * to do when there is nothing to show yet.
 */
import { useEffect, useRef, useState } from 'react';
import type { FaceResult } from '../worker/protocol';
import { AgeChart } from './AgeChart';
import { describeAge } from './format';

interface ChartPanelProps {
  /** The face to chart, or null when none is selected (or the camera has not found one yet). */
  face: Pick<FaceResult, 'distribution' | 'summary' | 'members'> | null;
  /** The chart follows the camera. */
  camera: boolean;
  /** With the camera: the newest frame's own distribution, drawn under the fused one. */
  latest?: Float32Array;
}

export function ChartPanel({ face, camera, latest }: ChartPanelProps) {
  const panel = useRef<HTMLElement>(null);
  const [fullScreen, setFullScreen] = useState(false);
  useEffect(() => {
    const onChange = () => setFullScreen(document.fullscreenElement !== null);
    document.addEventListener('fullscreenchange', onChange);
    return () => document.removeEventListener('fullscreenchange', onChange);
  }, []);

  const bigScreen = () => {
    if (document.fullscreenElement) void document.exitFullscreen();
    else void panel.current?.requestFullscreen?.();
  };

  return (
    <aside className="chart-panel" ref={panel} data-testid="chart-panel">
      {face ? (
        <>
          <div className="chart-head">
            <p className="verdict">{describeAge(face.summary)}</p>
            <button type="button" onClick={bigScreen} title="Show the chart full screen (for a projector); Esc leaves">
              {fullScreen ? 'Exit big screen' : 'Big screen'}
            </button>
          </div>
          {camera && latest ? (
            <>
              <AgeChart face={face} live={{ latest }} />
              <p className="chart-note">
                The red curve is the estimate fused over the last seconds of video; the dashed grey curve is the newest frame alone. The shaded band is ±1 standard deviation.
              </p>
            </>
          ) : (
            <>
              <AgeChart face={face} />
              <p className="chart-note">
                The red curve is the ensemble’s probability for each age; the shaded band is ±1 standard deviation. Lighter curves are the individual models.
              </p>
            </>
          )}
        </>
      ) : camera ? (
        <div className="chart-empty" role="status">
          <p>Looking for a face in the camera… Face the camera in good light.</p>
        </div>
      ) : (
        <div className="chart-empty">
          <p>Drop a photo or start the webcam. Each face gets an estimate of how old it <em>looks</em> — not a single number, but a probability for every age from 0 to 100.</p>
          <p className="privacy">Everything runs in this browser: no photo leaves your computer.</p>
        </div>
      )}
    </aside>
  );
}
