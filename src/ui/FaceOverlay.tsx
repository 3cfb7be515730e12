/** Boxes and age labels drawn over a photo or video, in the image's own pixel coordinates. */
import type { AgeSummary } from '../age/distribution';
import type { FaceBox } from '../geometry/box';
import type { FivePoints } from '../geometry/points';
import { ageLabel } from './format';

export interface OverlayFace {
  box: FaceBox;
  points5: FivePoints;
  /** Undefined while the face has no age yet (live video: landmarks come first). */
  summary?: AgeSummary;
  /** Live video: the face's track id and colour. */
  trackId?: number;
  colour?: string;
}

interface Props {
  width: number;
  height: number;
  faces: readonly OverlayFace[];
  selected?: number;
  /** Mirror horizontally (selfie camera view); labels stay readable. */
  mirrored?: boolean;
  onSelect?: (index: number) => void;
}

export function FaceOverlay({ width, height, faces, selected, mirrored = false, onSelect }: Props) {
  const stroke = Math.max(2, Math.round(Math.max(width, height) / 300));
  const fontSize = Math.max(14, Math.round(Math.max(width, height) / 32));
  return (
    <svg className="face-overlay" viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="xMidYMid meet" aria-hidden={!onSelect}>
      {faces.map((face, i) => {
        const { y, width: w, height: h } = face.box;
        const x = mirrored ? width - face.box.x - w : face.box.x;
        const label = face.summary ? ageLabel(face.summary) : '…';
        const isSelected = i === selected;
        return (
          <g
            key={face.trackId ?? i}
            className={`face${isSelected ? ' selected' : ''}`}
            style={face.colour ? { color: face.colour } : undefined}
            data-testid="face"
            data-track-id={face.trackId}
            data-age={face.summary?.age.toFixed(2)}
            data-age-exact={face.summary?.age}
            data-points5={JSON.stringify(face.points5.map(([px, py]) => [Math.round(px), Math.round(py)]))}
            role={onSelect ? 'button' : undefined}
            tabIndex={onSelect ? 0 : undefined}
            aria-label={`Face ${i + 1}: ${label}`}
            onClick={() => onSelect?.(i)}
            onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && onSelect?.(i)}
          >
            <rect x={x} y={y} width={w} height={h} strokeWidth={isSelected ? stroke * 2 : stroke} />
            <rect className="label-bg" x={x} y={Math.max(0, y - fontSize * 1.5)} width={fontSize * 0.62 * label.length + fontSize * 0.3} height={fontSize * 1.4} rx={fontSize * 0.2} />
            <text x={x + fontSize * 0.3} y={Math.max(0, y - fontSize * 1.5) + fontSize * 1.05} fontSize={fontSize}>
              {label}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
