/** One analysed photo: the image, its face boxes with age labels, and its status. */
import type { FaceResult, StageTimings } from '../worker/protocol';
import { FaceOverlay } from './FaceOverlay';
import { decodePhoto, ExportButtons, type ExportInfo } from './export/ExportButtons';

export interface Photo {
  id: number;
  name: string;
  url: string;
  status: 'queued' | 'working' | 'done' | 'failed';
  width?: number;
  height?: number;
  faces: FaceResult[];
  error?: string;
  timings?: StageTimings;
}

interface Props {
  photo: Photo;
  selectedFace?: number;
  onSelectFace: (index: number) => void;
  onRemove: () => void;
  /** What computed the results; the export buttons show once it is known and faces were found. */
  exportInfo?: ExportInfo;
  /** The models are still loading: a queued photo waits for them rather than for the photos before it. */
  modelsLoading?: boolean;
}

export function PhotoResult({ photo, selectedFace, onSelectFace, onRemove, exportInfo, modelsLoading }: Props) {
  const { status, faces } = photo;
  let caption: string;
  if (status === 'queued') caption = modelsLoading ? 'Waiting for the models to finish loading…' : 'Waiting for the photos before it…';
  else if (status === 'working') caption = 'Looking for faces…';
  else if (status === 'failed') caption = photo.error ?? 'This photo could not be analysed.';
  else if (faces.length === 0) caption = 'No face found in this photo. Try a photo where faces are larger and facing the camera.';
  else caption = `${faces.length} face${faces.length > 1 ? 's' : ''} — click one to see its age distribution`;

  return (
    <figure
      className={`photo ${status}`}
      data-testid="photo"
      data-status={status}
      data-faces={faces.length}
      data-timings={photo.timings ? JSON.stringify(photo.timings) : undefined}
    >
      <div className="photo-frame">
        {/* Shown before its turn too (the browser decodes it for display, lazily); a file that could not be read gets a placeholder. */}
        {status !== 'failed' || photo.width ? <img src={photo.url} alt={photo.name} loading="lazy" decoding="async" /> : <div className="placeholder" aria-hidden />}
        {photo.width && photo.height && (
          <FaceOverlay width={photo.width} height={photo.height} faces={faces} selected={selectedFace} onSelect={onSelectFace} />
        )}
        {(status === 'working' || status === 'queued') && <div className="spinner" aria-label={status} />}
      </div>
      <figcaption>
        <span className="name">{photo.name}</span>
        <span className={status === 'failed' || (status === 'done' && faces.length === 0) ? 'problem' : ''} role={status === 'failed' ? 'alert' : undefined}>
          {caption}
        </span>
        {photo.timings && <span className="timing">{Math.round(photo.timings.totalMs)} ms</span>}
        {exportInfo && status === 'done' && faces.length > 0 && !!photo.width && !!photo.height && (
          <ExportButtons source={photo.name} width={photo.width} height={photo.height} faces={faces} info={exportInfo} loadImage={() => decodePhoto(photo.url)} />
        )}
        <button type="button" className="link" onClick={onRemove} aria-label={`Remove ${photo.name}`}>
          Remove
        </button>
      </figcaption>
    </figure>
  );
}
