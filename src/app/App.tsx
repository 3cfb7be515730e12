/** The main page: photos and webcam in, faces with age labels and a distribution chart out. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { credibleInterval } from '../age/distribution';
import { ChartPanel } from '../ui/ChartPanel';
import { CameraView } from '../ui/CameraView';
import { spokenAge } from '../ui/format';
import { LoadStatus } from '../ui/LoadStatus';
import { ACCEPTED_TYPES, PhotoDrop } from '../ui/PhotoDrop';
import { PhotoResult, type Photo } from '../ui/PhotoResult';
import { useAgeWorker, type AgeWorkerSettings } from '../ui/useAgeWorker';
import { EnsemblePicker } from '../ui/EnsemblePicker';
import {
  DEFAULT_ENSEMBLE,
  chooseEnsemble,
  chosenEnsemble,
  ensembleUrlFor,
  forcedBackend,
  MEDIAPIPE_BASE,
  memberWorkers,
  rememberBackend,
  rememberedBackend,
  SHIPPED_ENSEMBLES,
} from '../config/settings';
import type { FaceResult } from '../worker/protocol';
import type { AgeWorkerClient } from '../worker/client';
import type { LiveFace, LiveFrame } from '../worker/liveTypes';

type Selection = { source: 'photo'; photoId: number; face: number } | { source: 'camera' } | null;

interface Notice {
  id: number;
  text: string;
}

/** A live announcement at most this often, so a screen reader is not talked over. */
const LIVE_ANNOUNCE_MS = 5000;

function describeFaces(faces: readonly Pick<FaceResult, 'distribution' | 'summary'>[]): string {
  return faces.map((f, i) => spokenAge(`Face ${i + 1}`, f.summary, credibleInterval(f.distribution))).join('. ');
}

/** The page's worker settings from the URL and storage, read each time a worker starts. */
function workerSettings(): AgeWorkerSettings {
  return { mediapipeBase: MEDIAPIPE_BASE, forcedBackend: forcedBackend(), rememberedBackend: rememberedBackend(), memberWorkers: memberWorkers(), onBackendMeasured: rememberBackend };
}

export function App() {
  const [ensembleKey, setEnsembleKey] = useState(chosenEnsemble);
  const { state, client } = useAgeWorker(ensembleUrlFor(ensembleKey), workerSettings);
  const pickEnsemble = (key: string) => {
    chooseEnsemble(key);
    setEnsembleKey(key);
  };
  const [photos, setPhotos] = useState<Photo[]>([]);
  const [selection, setSelection] = useState<Selection>(null);
  const [cameraFace, setCameraFace] = useState<LiveFace | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const lastLiveAnnouncement = useRef({ at: 0, text: '' });
  // Photos dropped while the models load wait here (already decoded) until a worker is ready.
  const waiting = useRef<{ id: number; name: string; bitmap: ImageBitmap }[]>([]);
  const [notices, setNotices] = useState<Notice[]>([]);
  const nextId = useRef(1);

  const notify = useCallback((text: string) => {
    const id = nextId.current++;
    setNotices((n) => [...n.slice(-4), { id, text }]);
  }, []);

  const update = (id: number, patch: Partial<Photo>) => setPhotos((ps) => ps.map((p) => (p.id === id ? { ...p, ...patch } : p)));

  const estimate = async (id: number, name: string, bitmap: ImageBitmap, worker: AgeWorkerClient) => {
    update(id, { status: 'working' });
    try {
      const result = await worker.estimate(bitmap);
      update(id, { status: 'done', faces: result.faces, timings: result.timings });
      if (result.faces.length > 0) setSelection((s) => s ?? { source: 'photo', photoId: id, face: 0 });
      setAnnouncement(`${name}: ${result.faces.length === 0 ? 'no face found' : `${result.faces.length} face${result.faces.length > 1 ? 's' : ''}. ${describeFaces(result.faces)}`}.`);
    } catch (error) {
      update(id, { status: 'failed', error: `Analysis failed: ${(error as Error).message}` });
    }
  };

  const analyse = async (file: File) => {
    const id = nextId.current++;
    const url = URL.createObjectURL(file);
    setPhotos((ps) => [{ id, name: file.name, url, status: client ? 'working' : 'queued', faces: [] }, ...ps]);
    let bitmap: ImageBitmap;
    try {
      if (file.type && !ACCEPTED_TYPES.includes(file.type)) throw new Error('unsupported');
      // Honours EXIF orientation, so phone photos come out upright.
      bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
    } catch {
      update(id, { status: 'failed', error: `“${file.name}” is not an image that can be read. Use JPEG, PNG or WebP.` });
      return;
    }
    const { width, height } = bitmap;
    update(id, { width, height });
    if (client) void estimate(id, file.name, bitmap, client);
    else waiting.current.push({ id, name: file.name, bitmap });
  };

  // Nothing a visitor drops while the models load is lost: it is estimated once they are ready.
  useEffect(() => {
    if (!client) return;
    for (const { id, name, bitmap } of waiting.current.splice(0)) void estimate(id, name, bitmap, client);
    // estimate only needs the client it is given.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client]);

  useEffect(() => {
    if (state.status !== 'failed') return;
    for (const { id, bitmap } of waiting.current.splice(0)) {
      bitmap.close();
      update(id, { status: 'failed', error: 'The age estimator could not start, so this photo was not analysed.' });
    }
  }, [state.status]);

  const onFiles = (files: File[]) => {
    for (const file of files) void analyse(file);
  };

  const onCameraFrame = useCallback((frame: LiveFrame | null) => {
    // Follow the largest face: at a booth, that is the person in front of the camera. The chart
    // changes only with a new age, not with every camera frame, so the page re-renders only then.
    const biggest = (frame?.faces ?? []).reduce<LiveFace | null>((best, f) => (!best || f.box.width * f.box.height > best.box.width * best.box.height ? f : best), null);
    setCameraFace((shown) => (shown && biggest && shown.trackId === biggest.trackId && shown.fused === biggest.fused ? shown : biggest));
    // The announcement text is built only when one may be made, not on every camera frame.
    const now = performance.now();
    const last = lastLiveAnnouncement.current;
    if (now - last.at <= LIVE_ANNOUNCE_MS) return;
    const estimated = (frame?.faces ?? []).flatMap((f) => (f.fused ? [f.fused] : []));
    const text = estimated.length ? `Camera: ${describeFaces(estimated)}.` : '';
    if (text && text !== last.text) {
      lastLiveAnnouncement.current = { at: now, text };
      setAnnouncement(text);
    }
  }, []);

  // Starting the camera turns the chart to it; clicking a face in a photo turns it back.
  const onCameraStart = useCallback(() => setSelection({ source: 'camera' }), []);

  const onCameraStop = useCallback(() => {
    setCameraFace(null);
    setSelection((s) => (s?.source === 'camera' ? null : s));
  }, []);

  const removePhoto = (id: number) => {
    setPhotos((ps) => {
      const gone = ps.find((p) => p.id === id);
      if (gone) URL.revokeObjectURL(gone.url);
      return ps.filter((p) => p.id !== id);
    });
    setSelection((s) => (s?.source === 'photo' && s.photoId === id ? null : s));
  };

  useEffect(() => {
    // The training page is for researchers: not linked, but Alt+Shift+T opens it (README).
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey && e.shiftKey && e.code === 'KeyT') location.assign(new URL('train.html', location.href).href);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  useEffect(() => {
    // Keep the page a drop target everywhere, so a photo dropped next to the zone is not opened by the browser.
    const prevent = (e: DragEvent) => e.preventDefault();
    window.addEventListener('dragover', prevent);
    window.addEventListener('drop', prevent);
    return () => {
      window.removeEventListener('dragover', prevent);
      window.removeEventListener('drop', prevent);
    };
  }, []);

  const exportInfo = state.status === 'ready' ? { backend: state.info.backend, ensembleName: state.info.ensembleName, ensembleVersion: state.info.ensembleVersion } : undefined;

  let selectedFace: Pick<FaceResult, 'distribution' | 'summary' | 'members'> | null = null;
  if (selection?.source === 'camera') selectedFace = cameraFace?.fused ? { ...cameraFace.fused, members: [] } : null;
  else if (selection?.source === 'photo') selectedFace = photos.find((p) => p.id === selection.photoId)?.faces[selection.face] ?? null;

  return (
    <div className="app">
      <div className="sr-only" aria-live="polite" data-testid="announcer">
        {announcement}
      </div>
      <header>
        <h1>
          agedist <small>how old does this face look?</small>
        </h1>
        <div className="header-controls">
          <EnsemblePicker active={ensembleKey} shipped={SHIPPED_ENSEMBLES} runningName={state.status === 'ready' ? state.info.ensembleName : undefined} onChange={pickEnsemble} onError={notify} />
          <LoadStatus state={state} />
        </div>
      </header>

      {state.status === 'failed' && (
        <div className="error-banner" role="alert" data-testid="fatal-error">
          <strong>The age estimator could not start.</strong> {state.message}{' '}
          {ensembleKey === DEFAULT_ENSEMBLE ? 'Reload the page to try again.' : 'Choose the default models above, or reload the page to try again.'}
        </div>
      )}

      <main className="workspace">
        <section className="inputs">
          <PhotoDrop disabled={state.status === 'failed'} loadingMessage={state.status === 'loading' ? (state.progress?.message ?? 'Loading the models…') : undefined} onFiles={onFiles} />
          <CameraView
            client={client}
            mediapipeBase={MEDIAPIPE_BASE}
            exportInfo={exportInfo}
            loadingMessage={state.status === 'loading' ? state.progress?.message : undefined}
            onFrame={onCameraFrame}
            onError={notify}
            onStart={onCameraStart}
            onStop={onCameraStop}
          />
          {notices.length > 0 && (
            <ul className="notices" data-testid="notices">
              {notices.map((n) => (
                // The alert is the text, not the list item: a <li> must stay a list item for the <ul>.
                <li key={n.id}>
                  <span role="alert">{n.text}</span>
                  <button type="button" className="link" onClick={() => setNotices((ns) => ns.filter((x) => x.id !== n.id))} aria-label="Dismiss">
                    ×
                  </button>
                </li>
              ))}
            </ul>
          )}
          <div className="photos" data-testid="photos">
            {photos.map((photo) => (
              <PhotoResult
                key={photo.id}
                photo={photo}
                selectedFace={selection?.source === 'photo' && selection.photoId === photo.id ? selection.face : undefined}
                onSelectFace={(face) => setSelection({ source: 'photo', photoId: photo.id, face })}
                onRemove={() => removePhoto(photo.id)}
                exportInfo={exportInfo}
              />
            ))}
          </div>
        </section>

        <ChartPanel face={selectedFace} camera={selection?.source === 'camera'} latest={selection?.source === 'camera' ? cameraFace?.latest?.distribution : undefined} />
      </main>
    </div>
  );
}
