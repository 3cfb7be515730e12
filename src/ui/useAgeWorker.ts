/** Owns the inference worker for the page's lifetime and exposes its load state. */
import { useEffect, useRef, useState } from 'react';
import type { BackendName } from '../runtime/backendChoice';
import { AgeWorkerClient, type ClientOptions } from '../worker/client';
import type { ProgressMessage, ReadyMessage } from '../worker/protocol';

export type WorkerState =
  | { status: 'loading'; progress?: ProgressMessage }
  | { status: 'ready'; info: ReadyMessage }
  | { status: 'failed'; message: string };

/** What the page tells each worker it starts (the page's settings; read when a worker starts). */
export interface AgeWorkerSettings extends Omit<ClientOptions, 'ensembleUrl' | 'onProgress'> {
  /** Called with the backend a worker measured fastest, for the page to remember. */
  onBackendMeasured?: (backend: BackendName) => void;
}

/** One worker per ensemble URL: choosing another ensemble starts a fresh worker. */
export function useAgeWorker(ensembleUrl: string, settings: () => AgeWorkerSettings): { state: WorkerState; client: AgeWorkerClient | null } {
  // Tagged with the URL they belong to: after a switch, the old worker's state reads as loading.
  const [current, setCurrent] = useState<{ url: string; state: WorkerState; client: AgeWorkerClient | null }>({ url: ensembleUrl, state: { status: 'loading' }, client: null });
  const setState = (url: string, state: WorkerState, client: AgeWorkerClient | null = null) => setCurrent({ url, state, client });
  const started = useRef(0);

  useEffect(() => {
    const run = ++started.current;
    const { onBackendMeasured, ...options } = settings();
    const c = new AgeWorkerClient({
      ...options,
      ensembleUrl,
      onProgress: (progress) => run === started.current && setState(ensembleUrl, { status: 'loading', progress }),
    });
    c.init().then(
      (info) => {
        if (run !== started.current) return;
        if (info.measuredBackend) onBackendMeasured?.(info.measuredBackend);
        setState(ensembleUrl, { status: 'ready', info }, c);
      },
      (error: Error) => run === started.current && setState(ensembleUrl, { status: 'failed', message: error.message }),
    );
    return () => c.terminate();
    // settings is read once per worker: a new worker starts only for another ensemble.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ensembleUrl]);

  return current.url === ensembleUrl ? { state: current.state, client: current.client } : { state: { status: 'loading' }, client: null };
}
