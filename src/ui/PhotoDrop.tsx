/** Drop zone and file picker for one or many photos. Rejects non-images with a message, never silently. */
import { useEffect, useRef, useState, type DragEvent } from 'react';

export const ACCEPTED_TYPES = ['image/jpeg', 'image/png', 'image/webp'];

interface Props {
  disabled: boolean;
  /** While the models load: photos may be dropped and wait for them; this says so. */
  loadingMessage?: string;
  onFiles: (files: File[]) => void;
  /** Photos are probably coming: files are dragged into the window, or the file picker opens. */
  onIntent?: () => void;
}

export function PhotoDrop({ disabled, loadingMessage, onFiles, onIntent }: Props) {
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);

  useEffect(() => {
    if (!onIntent) return;
    const onDragEnter = (e: globalThis.DragEvent) => {
      if (e.dataTransfer?.types.includes('Files')) onIntent();
    };
    window.addEventListener('dragenter', onDragEnter);
    return () => window.removeEventListener('dragenter', onDragEnter);
  }, [onIntent]);
  const choose = () => {
    if (disabled) return;
    onIntent?.();
    input.current?.click();
  };

  const take = (list: FileList | null) => {
    const files = Array.from(list ?? []);
    if (files.length > 0) onFiles(files);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    if (!disabled) take(e.dataTransfer.files);
  };

  return (
    <div
      className={`photo-drop${over ? ' over' : ''}${disabled ? ' disabled' : ''}`}
      data-testid="photo-drop"
      onDragOver={(e) => {
        e.preventDefault();
        if (!disabled) setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
      onClick={choose}
      onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && choose()}
      role="button"
      tabIndex={0}
      aria-disabled={disabled}
    >
      <input
        ref={input}
        type="file"
        accept={ACCEPTED_TYPES.join(',')}
        multiple
        hidden
        data-testid="photo-input"
        onChange={(e) => {
          take(e.target.files);
          e.target.value = '';
        }}
      />
      <strong>Drop photos here</strong>
      <span>or click to choose — JPEG, PNG or WebP, several at once, any number of faces</span>
      {loadingMessage && (
        <span className="loading-note" data-testid="drop-loading">
          {loadingMessage} Photos dropped now are estimated as soon as the models are ready.
        </span>
      )}
    </div>
  );
}
