/**
 * Live webcam. Landmarks run on every frame the landmark worker can take and the overlay follows
 * them; ages come from the inference worker on a per-face schedule and are fused per track
 * (src/worker/livePipeline.ts). Conference mode (key F) turns the view into a full-screen booth
 * display with one chart per face; Space freezes, S saves a snapshot.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { LivePipeline } from '../worker/livePipeline';
import type { LiveFrame } from '../worker/liveTypes';
import type { AgeWorkerClient } from '../worker/client';
import { cameraErrorMessage } from './cameraErrors';
import { FaceOverlay } from './FaceOverlay';
import { LiveCharts } from './LiveCharts';
import { downloadBlob } from './export/download';
import { ExportButtons, type ExportInfo } from './export/ExportButtons';
import { exportFileName } from './export/results';
import { snapshotFaces, snapshotName, snapshotPng } from './snapshot';
import { trackColour } from './trackColours';
import { useBoothKeys } from './useBoothKeys';

interface Props {
  client: AgeWorkerClient | null;
  mediapipeBase: string;
  /** What computes the ages (for snapshots' files); undefined while loading. */
  exportInfo?: ExportInfo;
  /** Shown while the models load; the camera may be started meanwhile. */
  loadingMessage?: string;
  onFrame: (frame: LiveFrame | null) => void;
  onError: (message: string) => void;
  onStart: () => void;
  onStop: () => void;
}

/** Controls in conference mode hide after this long without a mouse move. */
const IDLE_MS = 2500;

export function CameraView({ client, mediapipeBase, exportInfo, loadingMessage, onFrame, onError, onStart, onStop }: Props) {
  const root = useRef<HTMLDivElement>(null);
  const video = useRef<HTMLVideoElement>(null);
  const stream = useRef<MediaStream | null>(null);
  const pipeline = useRef<LivePipeline | null>(null);
  const [running, setRunning] = useState(false);
  const [starting, setStarting] = useState(false);
  const [tracking, setTracking] = useState(false);
  const [frame, setFrame] = useState<LiveFrame | null>(null);
  const [conference, setConference] = useState(false);
  const [frozen, setFrozen] = useState(false);
  const [idle, setIdle] = useState(false);
  const [status, setStatus] = useState('');

  const stop = useCallback(() => {
    stream.current?.getTracks().forEach((t) => t.stop());
    stream.current = null;
    setRunning(false);
    setFrozen(false);
    setFrame(null);
    onFrame(null);
    onStop();
  }, [onFrame, onStop]);

  const start = useCallback(async () => {
    if (stream.current) return;
    if (!navigator.mediaDevices?.getUserMedia) {
      onError('This browser cannot use a camera here (it needs HTTPS or localhost).');
      return;
    }
    setStarting(true);
    try {
      const s = await navigator.mediaDevices.getUserMedia({ video: { width: { ideal: 1280 }, height: { ideal: 720 }, facingMode: 'user' }, audio: false });
      stream.current = s;
      video.current!.srcObject = s;
      await video.current!.play();
      setRunning(true);
      onStart();
    } catch (error) {
      onError(cameraErrorMessage(error));
    } finally {
      setStarting(false);
    }
  }, [onError, onStart]);

  // The pipeline starts once the camera runs and the age models are ready (a camera started
  // while the models load waits for them), and ends with either.
  useEffect(() => {
    if (!running || !client || !video.current) return;
    let live: LivePipeline | null = null;
    let cancelled = false;
    setTracking(false);
    LivePipeline.create({
      mediapipeBase,
      ages: client,
      onFrame: (f) => {
        if (cancelled) return;
        setFrame(f);
        onFrame(f);
      },
      onError: (message) => !cancelled && onError(message),
    }).then(
      (p) => {
        if (cancelled) return p.close();
        live = pipeline.current = p;
        p.start(video.current!);
        setTracking(true);
        // A test and benchmark hook: the measured rates and the age trace (docs/BENCHMARKS.md).
        (window as { agedistLive?: LivePipeline }).agedistLive = p;
      },
      (error: Error) => !cancelled && onError(error.message),
    );
    return () => {
      cancelled = true;
      live?.close();
      pipeline.current = null;
      setTracking(false);
    };
  }, [running, client, mediapipeBase, onFrame, onError]);

  // Status line: rates once a second rather than on every frame.
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => {
      const p = pipeline.current;
      if (!p) return setStatus(client ? 'Starting face tracking…' : `${loadingMessage ?? 'Loading the models…'} The camera view starts as soon as they are ready.`);
      const s = p.stats();
      const faces = p.current?.faces.length ?? 0;
      const ages = Object.values(s.agesPerSecond);
      const ageRate = ages.length ? Math.min(...ages) : 0;
      setStatus(`${faces} face${faces === 1 ? '' : 's'} · overlay ${s.overlayFps.toFixed(0)} fps · ages ${ageRate.toFixed(1)}/s per face`);
    }, 1000);
    return () => clearInterval(timer);
  }, [running, client, loadingMessage]);

  const toggleFreeze = useCallback(() => {
    const v = video.current;
    if (!running || !v) return;
    setFrozen((was) => {
      if (was) void v.play();
      else v.pause();
      pipeline.current?.setPaused(!was);
      return !was;
    });
  }, [running]);

  const snapshot = useCallback(async () => {
    const v = video.current;
    const current = pipeline.current?.current;
    if (!v || !current || !exportInfo) return;
    const source = snapshotName();
    try {
      downloadBlob(await snapshotPng(v, current, exportInfo, source), exportFileName(source, 'png'));
    } catch (error) {
      onError(`The snapshot could not be saved (${(error as Error).message}).`);
    }
  }, [exportInfo, onError]);

  const toggleConference = useCallback(() => {
    setConference((on) => !on);
    if (!stream.current) void start();
  }, [start]);

  useBoothKeys({ onConference: toggleConference, onFreeze: toggleFreeze, onSnapshot: () => void snapshot(), onEscape: () => setConference(false), running, conference });

  // Conference mode asks for the real full screen too (best effort: the browser may refuse
  // without a user gesture); leaving full screen with Esc leaves conference mode.
  useEffect(() => {
    if (!conference) {
      if (document.fullscreenElement === root.current) void document.exitFullscreen().catch(() => undefined);
      return;
    }
    void root.current?.requestFullscreen?.().catch(() => undefined);
    const onChange = () => document.fullscreenElement === null && setConference(false);
    const handle = setTimeout(() => document.addEventListener('fullscreenchange', onChange), 0);
    return () => {
      clearTimeout(handle);
      document.removeEventListener('fullscreenchange', onChange);
    };
  }, [conference]);

  // Controls hide while the mouse rests (conference mode), and come back when it moves.
  useEffect(() => {
    if (!conference) return;
    let timer = setTimeout(() => setIdle(true), IDLE_MS);
    const wake = () => {
      setIdle(false);
      clearTimeout(timer);
      timer = setTimeout(() => setIdle(true), IDLE_MS);
    };
    window.addEventListener('mousemove', wake);
    window.addEventListener('keydown', wake);
    return () => {
      clearTimeout(timer);
      setIdle(false);
      window.removeEventListener('mousemove', wake);
      window.removeEventListener('keydown', wake);
    };
  }, [conference]);

  useEffect(() => () => stream.current?.getTracks().forEach((t) => t.stop()), []);

  const shot = frame ? snapshotFaces(frame) : null;
  const faces = (frame?.faces ?? []).map((f) => ({ ...f, summary: f.fused?.summary, colour: trackColour(f.trackId) }));
  return (
    <div ref={root} className={`camera${conference ? ' conference' : ''}${conference && idle ? ' idle' : ''}`} data-testid="camera" data-conference={conference} data-frozen={frozen} data-tracking={tracking}>
      <div className="camera-controls">
        {running ? (
          <button type="button" onClick={stop} data-testid="camera-stop">
            Stop camera
          </button>
        ) : (
          <button type="button" onClick={() => void start()} disabled={starting} data-testid="camera-start">
            {starting ? 'Starting camera…' : 'Use the webcam'}
          </button>
        )}
        <button type="button" onClick={toggleConference} aria-pressed={conference} data-testid="conference-toggle" title="Full-screen booth view (key F)">
          {conference ? 'Leave conference mode (F)' : 'Conference mode (F)'}
        </button>
        {running && (
          <>
            <button type="button" onClick={toggleFreeze} aria-pressed={frozen} data-testid="freeze" title="Freeze the frame (Space)">
              {frozen ? 'Resume (Space)' : 'Freeze (Space)'}
            </button>
            <button type="button" onClick={() => void snapshot()} disabled={!shot?.faces.length || !exportInfo} data-testid="snapshot" title="Save the view as a PNG (S)">
              Snapshot (S)
            </button>
            {shot && exportInfo && shot.faces.length > 0 && (
              <ExportButtons
                source={snapshotName()}
                width={frame!.width}
                height={frame!.height}
                faces={shot.faces}
                imageOptions={shot.imageOptions}
                info={exportInfo}
                loadImage={() => createImageBitmap(video.current!)}
              />
            )}
            <span className="camera-status" data-testid="camera-status" role="status">
              {frozen ? 'Frozen — press Space to resume' : status || 'Waiting for the first frame…'}
            </span>
          </>
        )}
      </div>
      <div className="camera-stage" hidden={!running && !conference}>
        <div className="camera-frame">
          <video ref={video} muted playsInline aria-label="Live camera view" />
          {frame && <FaceOverlay width={frame.width} height={frame.height} faces={faces} mirrored />}
          {frozen && <span className="frozen-badge">Frozen</span>}
        </div>
        {conference && <LiveCharts faces={frame?.faces ?? []} />}
      </div>
      {conference && <p className="booth-keys">F leaves this view · Space freezes the frame · S saves a snapshot</p>}
    </div>
  );
}
