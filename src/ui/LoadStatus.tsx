/** The header's badge: the models loading (with progress), running (backend and model count), or failed. */
import type { WorkerState } from './useAgeWorker';

export function LoadStatus({ state }: { state: WorkerState }) {
  if (state.status === 'ready') {
    const { info } = state;
    return (
      <span className="badge ok" data-testid="backend" data-backend={info.backend} data-ensemble={info.ensembleName} title={`${info.backendReason}\nModels: ${info.ensembleName}`}>
        Running on <strong>{info.backend}</strong> · {info.members.length} model{info.members.length === 1 ? '' : 's'}
      </span>
    );
  }
  if (state.status === 'failed') return <span className="badge bad">Not available</span>;
  const p = state.progress;
  return (
    <span className="badge loading" data-testid="loading" role="status">
      {p?.message ?? 'Starting…'}
      {p && <progress max={1} value={p.fraction} />}
    </span>
  );
}
