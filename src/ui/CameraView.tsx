/**
 * Live webcam: frames go to the worker one at a time (a new frame is grabbed only when the
 * previous estimate is back, so a slow device drops frames instead of queueing them).
 */
import { useEffect, useRef, useState } from 'react';
import { summarize } from '../age/distribution';
import { TemporalFusion } from '../age/temporal';
import type { AgeWorkerClient } from '../worker/client';
import type { ResultMessage } from '../worker/protocol';
import { FaceOverlay } from './FaceOverlay';

/** The frame's faces with their distributions smoothed over the recent frames of the same person. */
function smoothed(result: ResultMessage, fusion: TemporalFusion): ResultMessage {
  const fused = fusion.update(
    result.faces.map((f) => ({ box: f.box, distributions: [f.distribution, ...f.members.map((m) => m.distribution)] })),
    performance.now(),
  );
  return {
    ...result,
    faces: result.faces.map((face, i) => {
      const [distribution, ...members] = fused[i].distributions;
      return {
        ...face,
        distribution,
        summary: summarize(distribution),
        members: face.members.map((m, k) => ({ ...m, distribution: members[k], summary: summarize(members[k]) })),
      };
    }),
  };
}

interface Props {
  client: AgeWorkerClient | null;
  onResult: (result: ResultMessage) => void;
  onError: (message: string) => void;
  onStart: () => void;
  onStop: () => void;
}

function cameraErrorMessage(error: unknown): string {
  const name = error instanceof DOMException ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'Camera access was denied. Allow the camera for this site in the browser’s address bar, or drop photos instead.';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'No camera was found. Connect a camera, or drop photos instead.';
    case 'NotReadableError':
      return 'The camera is in use by another application. Close it and try again.';
    default:
      return `The camera could not be started${error instanceof Error ? ` (${error.message})` : ''}.`;
  }
}

export function CameraView({ client, onResult, onError, onStart, onStop }: Props) {
  const video = useRef<HTMLVideoElement>(null);
  const stream = useRef<MediaStream | null>(null);
  const [running, setRunning] = useState(false);
  const [starting, setStarting] = useState(false);
  const [last, setLast] = useState<ResultMessage | null>(null);
  const [fps, setFps] = useState(0);
  const fusion = useRef(new TemporalFusion());

  const stop = () => {
    stream.current?.getTracks().forEach((t) => t.stop());
    stream.current = null;
    setRunning(false);
    setLast(null);
    onStop();
  };

  const start = async () => {
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
      fusion.current.reset();
      setRunning(true);
      onStart();
    } catch (error) {
      onError(cameraErrorMessage(error));
    } finally {
      setStarting(false);
    }
  };

  // The estimation loop: grab → estimate → show → grab again.
  useEffect(() => {
    if (!running || !client) return;
    let cancelled = false;
    let frames = 0;
    let since = performance.now();
    const loop = async () => {
      while (!cancelled) {
        const v = video.current;
        if (!v || v.readyState < 2 || v.videoWidth === 0) {
          await new Promise((r) => setTimeout(r, 50));
          continue;
        }
        try {
          const frame = await createImageBitmap(v);
          const result = smoothed(await client.estimate(frame, 'video'), fusion.current);
          if (cancelled) return;
          setLast(result);
          onResult(result);
          frames += 1;
          const now = performance.now();
          if (now - since > 1000) {
            setFps((frames * 1000) / (now - since));
            frames = 0;
            since = now;
          }
        } catch (error) {
          if (!cancelled) onError(`Live estimation stopped: ${(error as Error).message}`);
          return;
        }
        // Yield so the page stays responsive between frames.
        await new Promise((r) => requestAnimationFrame(r));
      }
    };
    void loop();
    return () => {
      cancelled = true;
    };
  }, [running, client, onResult, onError]);

  useEffect(() => () => stream.current?.getTracks().forEach((t) => t.stop()), []);

  return (
    <div className="camera" data-testid="camera">
      <div className="camera-controls">
        {running ? (
          <button type="button" onClick={stop} data-testid="camera-stop">
            Stop camera
          </button>
        ) : (
          <button type="button" onClick={start} disabled={!client || starting} data-testid="camera-start">
            {starting ? 'Starting camera…' : 'Use the webcam'}
          </button>
        )}
        {running && (
          <span className="camera-status" data-testid="camera-status">
            {last ? `${last.faces.length} face${last.faces.length === 1 ? '' : 's'} · ${fps.toFixed(1)} fps` : 'Waiting for the first frame…'}
          </span>
        )}
      </div>
      <div className="camera-frame" hidden={!running}>
        <video ref={video} muted playsInline />
        {last && <FaceOverlay width={last.width} height={last.height} faces={last.faces} mirrored />}
      </div>
    </div>
  );
}
