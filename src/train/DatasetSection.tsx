/**
 * Step 1 of the training page: where a dataset comes in (drop zone, folder and file pickers), the
 * options for labels that lack them, what was found, and the report of what was skipped.
 */
import { useRef, useState } from 'react';
import { issuesCsv, type AssembledDataset, type DatasetIssue } from '../data/dataset';
import { entriesFromDrop, entriesFromPicker, type DatasetEntry } from './datasetInput';
import { downloadBlob } from '../ui/export/download';

export interface DatasetSectionProps {
  /** Whether a new dataset is accepted now (not while preprocessing or training). */
  canDrop: boolean;
  onLoad: (entries: Promise<{ entries: DatasetEntry[]; problems: string[] }>) => void;
  defaultStd: number;
  onDefaultStd: (std: number) => void;
  validFraction: number;
  onValidFraction: (fraction: number) => void;
  /** Files in the dataset as given. */
  files: number;
  dataset: AssembledDataset | null;
  report: DatasetIssue[];
}

export function DatasetSection({ canDrop, onLoad, defaultStd, onDefaultStd, validFraction, onValidFraction, files, dataset, report }: DatasetSectionProps) {
  const [over, setOver] = useState(false);
  const folderInput = useRef<HTMLInputElement>(null);
  const filesInput = useRef<HTMLInputElement>(null);
  const counts = dataset ? { train: dataset.samples.filter((s) => s.split === 'train').length, valid: dataset.samples.filter((s) => s.split === 'valid').length } : null;
  return (
    <section className="train-step">
      <h2>1. Dataset</h2>
      <div
        className={`photo-drop${over ? ' over' : ''}${canDrop ? '' : ' disabled'}`}
        data-testid="dataset-drop"
        onDragOver={(e) => {
          e.preventDefault();
          if (canDrop) setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          if (canDrop) onLoad(entriesFromDrop(e.dataTransfer));
        }}
      >
        <strong>Drop a folder, a .zip or image files with a labels CSV</strong>
        <span>CSV columns file,age_mean,age_std[,split] or ChaLearn image,mean,stdv; or UTKFace file names (AGE_GENDER_RACE_DATE.jpg) without a CSV.</span>
        <span>
          <button type="button" disabled={!canDrop} onClick={() => folderInput.current?.click()}>Choose a folder…</button>{' '}
          <button type="button" disabled={!canDrop} onClick={() => filesInput.current?.click()}>Choose files or a .zip…</button>
        </span>
      </div>
      <input ref={folderInput} type="file" hidden multiple data-testid="dataset-folder" {...{ webkitdirectory: '' }} onChange={(e) => e.target.files && onLoad(entriesFromPicker(e.target.files))} />
      <input ref={filesInput} type="file" hidden multiple data-testid="dataset-files" onChange={(e) => e.target.files && onLoad(entriesFromPicker(e.target.files))} />
      <div className="train-options">
        <label>
          Std for rows without one (years){' '}
          <input type="number" min={0.5} step={0.5} value={defaultStd} onChange={(e) => onDefaultStd(Number(e.target.value))} data-testid="default-std" />
        </label>
        <label>
          Validation share when the CSV has no split column{' '}
          <input type="number" min={0.05} max={0.5} step={0.05} value={validFraction} onChange={(e) => onValidFraction(Number(e.target.value))} />
        </label>
      </div>
      {dataset && counts && (
        <p data-testid="dataset-summary">
          {files} files · labels: {dataset.labelsPath ?? 'UTKFace file names'} ({dataset.format}) · {counts.train} train, {counts.valid} valid ({dataset.splitFrom === 'csv' ? 'split from the CSV' : `random ${Math.round(validFraction * 100)} %`})
        </p>
      )}
      {report.length > 0 && (
        <details className="train-report" open data-testid="dataset-report">
          <summary>
            Report: {report.length} file{report.length === 1 ? '' : 's'} or row{report.length === 1 ? '' : 's'} skipped{' '}
            <button type="button" className="link" onClick={() => downloadBlob(new Blob([issuesCsv(report)], { type: 'text/csv' }), 'agedist-dataset-report.csv')}>
              Download report (CSV)
            </button>
          </summary>
          <ul>
            {report.map((r, i) => (
              <li key={i}>
                <code>{r.source}</code>: {r.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
