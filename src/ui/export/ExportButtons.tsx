/** "Export: PNG CSV JSON" for one analysed image; each button downloads a file named after it. */
import { useState } from 'react';
import type { FaceResult } from '../../worker/protocol';
import { downloadBlob } from './download';
import { exportFileName, resultsCsv, resultsJson, type ExportContext } from './results';
import type { ResultsImageOptions } from './resultsImage';

/** What computed the results: from the worker's ready message. */
export interface ExportInfo {
  backend: string;
  ensembleName: string;
  ensembleVersion?: string;
}

interface Props {
  /** File name of the photo (or a snapshot's name): labels the buttons and names the downloads. */
  source: string;
  width: number;
  height: number;
  faces: readonly FaceResult[];
  info: ExportInfo;
  /** The image the faces were found in, decoded, for the PNG; closed afterwards when it can be. */
  loadImage: () => Promise<CanvasImageSource>;
  /** How the PNG draws the image and boxes (webcam: mirrored, in track colours). */
  imageOptions?: ResultsImageOptions;
}

/** A photo's object URL decoded upright, as it was for the analysis (EXIF orientation honoured). */
export async function decodePhoto(url: string): Promise<ImageBitmap> {
  const blob = await (await fetch(url)).blob();
  return createImageBitmap(blob, { imageOrientation: 'from-image' });
}

export function ExportButtons({ source, width, height, faces, info, loadImage, imageOptions }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const context = (): ExportContext => ({ source, width, height, ...info, createdAt: new Date() });

  const saveText = (text: string, type: string, extension: 'csv' | 'json') => {
    setError(null);
    downloadBlob(new Blob([text], { type }), exportFileName(source, extension));
  };

  const savePng = async () => {
    setBusy(true);
    setError(null);
    try {
      const image = await loadImage();
      try {
        // Loaded on first use: it brings chart.js, which the page does not need to start.
        const { resultsPng } = await import('./resultsImage');
        downloadBlob(await resultsPng(image, faces, context(), imageOptions), exportFileName(source, 'png'));
      } finally {
        if ('close' in image && typeof image.close === 'function') image.close();
      }
    } catch (e) {
      setError(`The image could not be made (${(e as Error).message}).`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <span className="export" role="group" aria-label={`Export the results of ${source}`} aria-busy={busy}>
      <span className="export-title" aria-hidden>
        Export
      </span>
      <button type="button" data-testid="export-png" aria-label={`Download PNG of ${source}`} title="The photo with its boxes and each face’s chart" disabled={busy} onClick={() => void savePng()}>
        PNG
      </button>
      <button type="button" data-testid="export-csv" aria-label={`Download CSV of ${source}`} title="One row per face: box, age, std, mode, each model’s age, the 101 probabilities" onClick={() => saveText(resultsCsv(faces, context()), 'text/csv', 'csv')}>
        CSV
      </button>
      <button type="button" data-testid="export-json" aria-label={`Download JSON of ${source}`} title="Every face’s box, age, std, mode, members and 101 probabilities" onClick={() => saveText(resultsJson(faces, context()), 'application/json', 'json')}>
        JSON
      </button>
      {error && (
        <span className="problem" role="alert">
          {error}
        </span>
      )}
    </span>
  );
}
