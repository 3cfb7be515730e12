/**
 * Step 2 of the training page: every face of the dataset as its aligned crop (or why it was
 * rejected), with the preprocessing's progress.
 */
import { fmtTime } from './pageUtils';

export interface Thumb {
  index: number;
  path: string;
  /** Object URL of the aligned crop, once there is one. */
  url?: string;
  rejected?: string;
}

export function FaceThumbs({ thumbs, progress }: { thumbs: readonly Thumb[]; progress: { done: number; total: number; eta: number } | null }) {
  return (
    <section className="train-step">
      <h2>2. Faces</h2>
      {thumbs.length === 0 && <p className="train-hint">Each image's face appears here once a dataset is dropped, cropped and aligned as the models see it.</p>}
      {progress && (
        <p>
          <progress max={progress.total} value={progress.done} data-testid="preprocess-progress" /> {progress.done}/{progress.total}
          {progress.done < progress.total && progress.done > 0 && ` · about ${fmtTime(progress.eta)} left`}
        </p>
      )}
      {thumbs.length > 0 && (
        <div className="thumbs" data-testid="thumbs">
          {thumbs.map((t) => (
            <figure key={t.index} className={t.rejected ? 'thumb rejected' : 'thumb'} title={t.rejected ? `${t.path}: ${t.rejected}` : t.path}>
              {t.url ? <img src={t.url} alt={t.path} /> : <div className="thumb-empty">{t.rejected ? '✕' : '…'}</div>}
              {t.rejected && <figcaption>{t.rejected}</figcaption>}
            </figure>
          ))}
        </div>
      )}
    </section>
  );
}
