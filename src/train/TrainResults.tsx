/**
 * The training page's result: each member's validation MAE, ε and CS(5) before and after, the
 * re-fitted mixture weights, the throughput, and saving (in this browser) or exporting (.zip).
 */
import { useState } from 'react';
import type { TrainMessage } from './protocol';

interface Props {
  results: Extract<TrainMessage, { type: 'trained' }>;
  backend: string;
  /** The name it was saved under, once saved. */
  saved: string | null;
  onSave: (name: string) => void;
  onExport: (name: string) => void;
}

export function TrainResults({ results, backend, saved, onSave, onExport }: Props) {
  const [saveName, setSaveName] = useState('My fine-tuned ensemble');
  return (
    <section className="train-step">
      <h2>4. Result</h2>
      <table className="results" data-testid="results">
        <thead>
          <tr>
            <th>model (validation split)</th>
            <th>MAE before → after</th>
            <th>ε before → after</th>
            <th>CS(5) before → after</th>
          </tr>
        </thead>
        <tbody>
          {results.rows.map((r) => (
            <tr key={r.id}>
              <td>{r.name}</td>
              <td>{r.before.mae.toFixed(2)} → {r.after.mae.toFixed(2)}</td>
              <td>{r.before.epsilon.toFixed(4)} → {r.after.epsilon.toFixed(4)}</td>
              <td>{r.before.cs5.toFixed(3)} → {r.after.cs5.toFixed(3)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>Mixture weights re-fitted on the validation split: {results.weightsAfter.map((w) => w.toFixed(2)).join(' / ')}</p>
      <p data-testid="throughput" data-train={results.trainImagesPerSecond} data-features={results.featureImagesPerSecond ?? ''}>
        Training steps: {results.trainImagesPerSecond.toFixed(1)} images/s on {backend}
        {results.featureImagesPerSecond !== undefined && ` · backbone features (once): ${results.featureImagesPerSecond.toFixed(1)} images/s`}
      </p>
      <p className="train-buttons">
        <label>
          Name <input value={saveName} onChange={(e) => setSaveName(e.target.value)} data-testid="save-name" />
        </label>{' '}
        <button type="button" disabled={!saveName.trim()} onClick={() => onSave(saveName.trim())} data-testid="save">
          Save in this browser
        </button>{' '}
        <button type="button" disabled={!saveName.trim()} onClick={() => onExport(saveName.trim())} data-testid="export">
          Export .zip
        </button>
      </p>
      {saved && (
        <p data-testid="saved" role="status">
          Saved as “{saved}”. Choose it under <strong>Models</strong> on the <a href="./">main page</a>.
        </p>
      )}
    </section>
  );
}
