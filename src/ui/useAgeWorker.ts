/** Owns the inference worker for the page's lifetime and exposes its load state. */
import { useEffect, useRef, useState } from 'react';
import { ENSEMBLE_URL, MEDIAPIPE_BASE, forcedBackend, rememberBackend, rememberedBackend } from '../app/config';
import { AgeWorkerClient } from '../worker/client';
import type { ProgressMessage, ReadyMessage } from '../worker/protocol';

export type WorkerState =
  | { status: 'loading'; progress?: ProgressMessage }
  | { status: 'ready'; info: ReadyMessage }
  | { status: 'failed'; message: string };

export function useAgeWorker(): { state: WorkerState; client: AgeWorkerClient | null } {
  const [state, setState] = useState<WorkerState>({ status: 'loading' });
  const [client, setClient] = useState<AgeWorkerClient | null>(null);
  const started = useRef(0);

  useEffect(() => {
    const run = ++started.current;
    const c = new AgeWorkerClient({
      forcedBackend: forcedBackend(),
      rememberedBackend: rememberedBackend(),
      ensembleUrl: ENSEMBLE_URL,
      mediapipeBase: MEDIAPIPE_BASE,
      onProgress: (progress) => run === started.current && setState({ status: 'loading', progress }),
    });
    c.init().then(
      (info) => {
        if (run !== started.current) return;
        if (info.measuredBackend) rememberBackend(info.measuredBackend);
        setClient(c);
        setState({ status: 'ready', info });
      },
      (error: Error) => run === started.current && setState({ status: 'failed', message: error.message }),
    );
    return () => c.terminate();
  }, []);

  return { state, client };
}
