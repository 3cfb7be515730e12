/**
 * Which ensemble the page runs: one that ships with the app (the default first), or one saved in
 * this browser (trained on the training page, or imported from a .zip exported there). The choice
 * is remembered.
 */
import { useEffect, useRef, useState } from 'react';
import { listEnsembles, saveEnsemble } from '../store/db';
import { unzipEnsemble } from '../store/ensembleFiles';

interface Props {
  active: string;
  /** The shipped choices, the default first. */
  shipped: readonly { key: string; label: string }[];
  /** Name of the running ensemble (from its manifest), once loaded. */
  runningName?: string;
  onChange: (key: string) => void;
  onError: (message: string) => void;
}

export function EnsemblePicker({ active, shipped, runningName, onChange, onError }: Props) {
  const [saved, setSaved] = useState<{ name: string; origin: string }[]>([]);
  const input = useRef<HTMLInputElement>(null);
  const refresh = () =>
    listEnsembles().then(setSaved, () => setSaved([])); // no IndexedDB (private mode): only the default
  useEffect(() => {
    void refresh();
    // The training page may save one while this page is open.
    window.addEventListener('focus', refresh);
    return () => window.removeEventListener('focus', refresh);
  }, []);

  const importZip = async (file: File) => {
    try {
      const { files, manifest } = unzipEnsemble(new Uint8Array(await file.arrayBuffer()));
      const base = manifest.name;
      const taken = new Set((await listEnsembles()).map((e) => e.name));
      let name = base;
      for (let k = 2; taken.has(name); k++) name = `${base} (${k})`;
      await saveEnsemble(name, files, 'import');
      await refresh();
      onChange(name);
    } catch (error) {
      onError(`“${file.name}” could not be imported: ${(error as Error).message}`);
    }
  };

  // The first entry names the models it runs; the closed menu cuts long names short, its tooltip does not.
  const shippedLabel = (s: { key: string; label: string }, i: number) => `${s.label}${i === 0 && active === s.key && runningName ? ` (${runningName})` : ''}`;
  const activeIndex = shipped.findIndex((s) => s.key === active);
  const activeLabel = activeIndex >= 0 ? shippedLabel(shipped[activeIndex], activeIndex) : active;

  return (
    <div className="ensemble-picker">
      <label>
        Models{' '}
        <select data-testid="ensemble-select" value={active} title={activeLabel} onChange={(e) => onChange(e.target.value)}>
          {shipped.map((s, i) => (
            <option key={s.key} value={s.key}>
              {shippedLabel(s, i)}
            </option>
          ))}
          {saved.map((s) => (
            <option key={s.name} value={s.name}>
              {s.name} ({s.origin === 'import' ? 'imported' : 'trained here'})
            </option>
          ))}
          {!shipped.some((s) => s.key === active) && !saved.some((s) => s.name === active) && <option value={active}>{active} (not found)</option>}
        </select>
      </label>
      <button type="button" className="link" onClick={() => input.current?.click()} title="Import an ensemble .zip exported by the training page">
        Import .zip
      </button>
      <input
        ref={input}
        type="file"
        accept=".zip,application/zip"
        hidden
        data-testid="ensemble-import"
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) void importZip(file);
        }}
      />
    </div>
  );
}
