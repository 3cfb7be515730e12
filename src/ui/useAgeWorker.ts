/** Owns the inference worker for the page's lifetime and exposes its load state. */
import { useEffect, useRef, useState } from 'react';
import { MEDIAPIPE_BASE, forcedBackend, memberWorkers, rememberBackend, rememberedBackend } from '../app/config';
import { AgeWorkerClient } from '../worker/client';
import type { ProgressMessage, ReadyMessage } from '../worker/protocol';

export type WorkerState =
  | { status: 'loading'; progress?: ProgressMessage }
  | { status: 'ready'; info: ReadyMessage }
  | { status: 'failed'; message: string };

/** One worker per ensemble URL: choosing another ensemble starts a fresh worker. */
export function useAgeWorker(ensembleUrl: string): { state: WorkerState; client: AgeWorkerClient | null } {
  // Tagged with the URL they belong to: after a switch, the old worker's state reads as loading.
  const [current, setCurrent] = useState<{ url: string; state: WorkerState; client: AgeWorkerClient | null }>({ url: ensembleUrl, state: { status: 'loading' }, client: null });
  const setState = (url: string, state: WorkerState, client: AgeWorkerClient | null = null) => setCurrent({ url, state, client });
  const started = useRef(0);

  useEffect(() => {
    const run = ++started.current;
    const c = new AgeWorkerClient({
      forcedBackend: forcedBackend(),
      rememberedBackend: rememberedBackend(),
      ensembleUrl,
      mediapipeBase: MEDIAPIPE_BASE,
      memberWorkers: memberWorkers(),
      onProgress: (progress) => run === started.current && setState(ensembleUrl, { status: 'loading', progress }),
    });
    c.init().then(
      (info) => {
        if (run !== started.current) return;
        if (info.measuredBackend) rememberBackend(info.measuredBackend);
        setState(ensembleUrl, { status: 'ready', info }, c);
      },
      (error: Error) => run === started.current && setState(ensembleUrl, { status: 'failed', message: error.message }),
    );
    return () => c.terminate();
  }, [ensembleUrl]);

  return current.url === ensembleUrl ? { state: current.state, client: current.client } : { state: { status: 'loading' }, client: null };
}
