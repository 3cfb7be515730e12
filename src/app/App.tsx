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
import { PhotoQueue } from './photoQueue';
import { EnsemblePicker } from '../ui/EnsemblePicker';
import { UpdatePrompt } from '../ui/UpdatePrompt';
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

/**
 * Photos decoded and in the worker at once: one computing, the next decoded and waiting in the
 * worker's queue, so the worker never waits for the page; the rest wait undecoded.
 */
const PHOTOS_AT_ONCE = 2;

const unreadable = (name: string) => `“${name}” is not an image that can be read. Use JPEG, PNG or WebP.`;

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
  // The service worker is registered once the models have loaded (or failed to), not while they
  // load: on a first visit its precache (the whole app, ~11 MiB) competed with them for the cores.
  // Latched: a later reload of the models (another ensemble) leaves it registered.
  const [serviceWorkerDue, setServiceWorkerDue] = useState(false);
  if (!serviceWorkerDue && state.status !== 'loading') setServiceWorkerDue(true);
  const [photos, setPhotos] = useState<Photo[]>([]);
  const [selection, setSelection] = useState<Selection>(null);
  const [cameraFace, setCameraFace] = useState<LiveFace | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const lastLiveAnnouncement = useRef({ at: 0, text: '' });
  // Dropped photos wait here as files until a worker is ready and their turn comes (photoQueue.ts).
  const queue = useRef<PhotoQueue<{ id: number; file: File }>>(null!);
  // Built on the first render only (React's lazy ref initialisation; `null!` lasts until this line).
  if (queue.current === null) queue.current = new PhotoQueue(PHOTOS_AT_ONCE);
  const [notices, setNotices] = useState<Notice[]>([]);
  const nextId = useRef(1);

  const notify = useCallback((text: string) => {
    const id = nextId.current++;
    setNotices((n) => [...n.slice(-4), { id, text }]);
  }, []);

  const update = (id: number, patch: Partial<Photo>) => setPhotos((ps) => ps.map((p) => (p.id === id ? { ...p, ...patch } : p)));

  /** Decodes one dropped photo and has its faces found and aged. */
  const analyse = async (id: number, file: File, worker: AgeWorkerClient) => {
    update(id, { status: 'working' });
    let bitmap: ImageBitmap;
    try {
      // Honours EXIF orientation, so phone photos come out upright.
      bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
    } catch {
      update(id, { status: 'failed', error: unreadable(file.name) });
      return;
    }
    update(id, { width: bitmap.width, height: bitmap.height });
    try {
      const result = await worker.estimate(bitmap);
      update(id, { status: 'done', faces: result.faces, timings: result.timings });
      if (result.faces.length > 0) setSelection((s) => s ?? { source: 'photo', photoId: id, face: 0 });
      setAnnouncement(`${file.name}: ${result.faces.length === 0 ? 'no face found' : `${result.faces.length} face${result.faces.length > 1 ? 's' : ''}. ${describeFaces(result.faces)}`}.`);
    } catch (error) {
      update(id, { status: 'failed', error: `Analysis failed: ${(error as Error).message}` });
    }
  };

  // Group photos need a second detector, which takes about a second to load and start: it is
  // started as soon as photos look likely (dragged into the window, the picker opened), or once
  // the models are ready if that happened while they loaded, rather than on the first big photo.
  const photosComing = useRef(false);
  const onPhotoIntent = useCallback(() => {
    photosComing.current = true;
    client?.prepareGroupSearch();
  }, [client]);

  // Nothing a visitor drops while the models load is lost: it is analysed once they are ready.
  useEffect(() => {
    if (client && photosComing.current) client.prepareGroupSearch();
    queue.current.setRunner(client ? ({ id, file }) => analyse(id, file, client) : undefined);
    // analyse only needs the client it is given.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client]);

  useEffect(() => {
    if (state.status !== 'failed') return;
    for (const { id } of queue.current.takeAll()) update(id, { status: 'failed', error: 'The age estimator could not start, so this photo was not analysed.' });
  }, [state.status]);

  /** A drop's photos appear above the earlier ones, in the order they were dropped, and are analysed in that order. */
  const onFiles = (files: File[]) => {
    // A file that says it is not an image fails at once; one that only fails to decode, on its turn.
    const dropped = files.map((file) => ({ id: nextId.current++, file, url: URL.createObjectURL(file), image: !file.type || ACCEPTED_TYPES.includes(file.type) }));
    setPhotos((ps) => [
      ...dropped.map(({ id, file, url, image }): Photo =>
        image ? { id, name: file.name, url, status: 'queued', faces: [] } : { id, name: file.name, url, status: 'failed', error: unreadable(file.name), faces: [] },
      ),
      ...ps,
    ]);
    queue.current.add(dropped.filter((d) => d.image).map(({ id, file }) => ({ id, file })));
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
    queue.current.remove((item) => item.id === id);
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
          <PhotoDrop disabled={state.status === 'failed'} loadingMessage={state.status === 'loading' ? (state.progress?.message ?? 'Loading the models…') : undefined} onFiles={onFiles} onIntent={onPhotoIntent} />
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
                modelsLoading={!client}
              />
            ))}
          </div>
        </section>

        <ChartPanel face={selectedFace} camera={selection?.source === 'camera'} latest={selection?.source === 'camera' ? cameraFace?.latest?.distribution : undefined} />
      </main>
      {serviceWorkerDue && <UpdatePrompt />}
    </div>
  );
}
